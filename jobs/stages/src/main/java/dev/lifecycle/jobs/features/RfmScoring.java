package dev.lifecycle.jobs.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.config.RfmSegmentMap;
import dev.lifecycle.core.rfm.AbcClasses;
import dev.lifecycle.core.rfm.RankScores;
import dev.lifecycle.core.rfm.ValueHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quintile scores, cell, named segment and ABC class. The exact cut values come from histograms of
 * distinct values collected to the driver, so the customers are never sorted globally. The spend
 * histogram has up to one entry per customer: about 16 bytes each on the driver.
 */
public final class RfmScoring {
  static final int BINS = 5;

  private RfmScoring() {}

  /** The scored customers, and how many there are (the histograms' total, counted on the way). */
  public record Scored(Dataset<Row> rows, long customers) {}

  /** Reads {@code features} twice: once for the histograms, once to score. */
  public static Scored score(Dataset<Row> features, RfmSegmentMap segments) {
    Map<String, ValueHistogram> histograms =
        histograms(features, Columns.RECENCY_DAYS, Columns.FREQUENCY, Columns.MONETARY_TOTAL);
    RankScores r = RankScores.descending(histograms.get(Columns.RECENCY_DAYS), BINS);
    RankScores f = RankScores.ascending(histograms.get(Columns.FREQUENCY), BINS);
    ValueHistogram spend = histograms.get(Columns.MONETARY_TOTAL);
    RankScores m = RankScores.ascending(spend, BINS);
    AbcClasses abc = AbcClasses.of(spend);
    Column cell = concat(col(Columns.R_SCORE), col(Columns.F_SCORE), col(Columns.M_SCORE));
    Dataset<Row> scored =
        features
            .withColumn(Columns.R_SCORE, scoreColumn(col(Columns.RECENCY_DAYS), r))
            .withColumn(Columns.F_SCORE, scoreColumn(col(Columns.FREQUENCY), f))
            .withColumn(Columns.M_SCORE, scoreColumn(col(Columns.MONETARY_TOTAL), m))
            .withColumn(Columns.RFM_CELL, cell)
            .withColumn(Columns.RFM_SEGMENT, segmentOf(segments))
            .withColumn(Columns.ABC_CLASS, abcClass(abc));
    // Every customer has a frequency, so its histogram counts each once
    return new Scored(scored, histograms.get(Columns.FREQUENCY).total());
  }

  /** The ABC class by the tiers of {@link AbcClasses}: the first whose least spend is reached. */
  private static Column abcClass(AbcClasses abc) {
    List<AbcClasses.Tier> tiers = abc.tiers();
    Column abcClass = lit(AbcClasses.REST);
    for (int i = tiers.size() - 1; i >= 0; i--) {
      abcClass = when(col(Columns.MONETARY_TOTAL).geq(tiers.get(i).minSpend()), tiers.get(i).name()).otherwise(abcClass);
    }
    return abcClass;
  }

  /**
   * Histograms of several columns in one job: (column, value) counts, sorted on the driver. The
   * spend histogram has up to one value per customer, so they are sorted as primitives.
   */
  static Map<String, ValueHistogram> histograms(Dataset<Row> features, String... columns) {
    Column[] tagged =
        Arrays.stream(columns)
            .map(c -> struct(lit(c).as("column"), col(c).cast("double").as("value")))
            .toArray(Column[]::new);
    List<Row> counted =
        features
            .select(explode(array(tagged)).as("v"))
            .groupBy(col("v.column"), col("v.value"))
            .count()
            .collectAsList();
    Map<String, ValueHistogram> histograms = new HashMap<>();
    for (String column : columns) {
      List<Row> rows = counted.stream().filter(row -> row.getString(0).equals(column)).toList();
      // The values are distinct (grouped on): each count goes where its value sorts.
      double[] values = rows.stream().mapToDouble(row -> row.getDouble(1)).toArray();
      Arrays.sort(values);
      long[] n = new long[values.length];
      for (Row row : rows) {
        n[Arrays.binarySearch(values, row.getDouble(1))] = row.getLong(2);
      }
      histograms.put(column, new ValueHistogram(values, n));
    }
    return histograms;
  }

  /** The segment by position in the 125 cells, (r-1)*25 + (f-1)*5 + m: an array read per row. */
  private static Column segmentOf(RfmSegmentMap segments) {
    List<Column> names = new ArrayList<>();
    for (int r = 1; r <= BINS; r++) {
      for (int f = 1; f <= BINS; f++) {
        for (int m = 1; m <= BINS; m++) {
          names.add(lit(segments.segmentOf("" + r + f + m)));
        }
      }
    }
    Column position =
        col(Columns.R_SCORE).minus(1).multiply(BINS * BINS)
            .plus(col(Columns.F_SCORE).minus(1).multiply(BINS))
            .plus(col(Columns.M_SCORE));
    return element_at(array(names.toArray(Column[]::new)), position);
  }

  private static Column scoreColumn(Column value, RankScores scores) {
    Column score = lit(1);
    for (double cut : scores.cuts()) {
      Column reached = scores.isDescending() ? value.leq(cut) : value.geq(cut);
      score = score.plus(when(reached, 1).otherwise(0));
    }
    return score;
  }
}
