package dev.lifecycle.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.RfmSegmentMap;
import dev.lifecycle.common.rfm.AbcClasses;
import dev.lifecycle.common.rfm.RankScores;
import dev.lifecycle.common.rfm.ValueHistogram;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import java.util.ArrayList;

/**
 * Quintile scores, cell, named segment and ABC class. The exact cut values come from histograms of
 * distinct values collected to the driver, so the customers are never sorted globally.
 */
public final class RfmScoring {
  static final int BINS = 5;

  private RfmScoring() {}

  /** {@code features} should be cached: it is read once per histogram and once to score. */
  public static Dataset<Row> score(Dataset<Row> features, RfmSegmentMap segments) {
    RankScores r = RankScores.descending(histogram(features, Columns.RECENCY_DAYS), BINS);
    RankScores f = RankScores.ascending(histogram(features, Columns.FREQUENCY), BINS);
    ValueHistogram spend = histogram(features, Columns.MONETARY_TOTAL);
    RankScores m = RankScores.ascending(spend, BINS);
    AbcClasses abc = AbcClasses.of(spend);
    Column cell =
        concat(col(Columns.R_SCORE), col(Columns.F_SCORE), col(Columns.M_SCORE));
    return features
        .withColumn(Columns.R_SCORE, scoreColumn(col(Columns.RECENCY_DAYS), r))
        .withColumn(Columns.F_SCORE, scoreColumn(col(Columns.FREQUENCY), f))
        .withColumn(Columns.M_SCORE, scoreColumn(col(Columns.MONETARY_TOTAL), m))
        .withColumn(Columns.RFM_CELL, cell)
        .withColumn(
            Columns.RFM_SEGMENT,
            element_at(segmentLookup(segments), cell))
        .withColumn(
            Columns.ABC_CLASS,
            when(col(Columns.MONETARY_TOTAL).geq(abc.aCut()), "A")
                .when(col(Columns.MONETARY_TOTAL).geq(abc.bCut()), "B")
                .otherwise("C"));
  }

  static ValueHistogram histogram(Dataset<Row> features, String column) {
    List<Row> rows =
        features
            .groupBy(col(column).cast("double").as("value"))
            .count()
            .orderBy("value")
            .collectAsList();
    double[] values = new double[rows.size()];
    long[] counts = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      values[i] = rows.get(i).getDouble(0);
      counts[i] = rows.get(i).getLong(1);
    }
    return new ValueHistogram(values, counts);
  }

  private static Column segmentLookup(RfmSegmentMap segments) {
    List<Column> pairs = new ArrayList<>();
    segments.cells().forEach((cell, name) -> {
      pairs.add(lit(cell));
      pairs.add(lit(name));
    });
    return map(pairs.toArray(Column[]::new));
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
