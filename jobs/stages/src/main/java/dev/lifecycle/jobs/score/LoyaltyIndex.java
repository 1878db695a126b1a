package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.lifecycle.core.config.LoyaltyConfig;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerIndicators;
import dev.lifecycle.spark.table.CustomerSample;
import dev.lifecycle.spark.table.NumberColumns;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * The AHP loyalty index of each customer, 0 to 100: the weighted sum of the indicators'
 * percentile ranks, each turned so that a higher rank is more loyal, times 100. A rank is the
 * mid-rank, (values below + half the values equal) / N, so tied customers share it.
 *
 * <p>The ranks are exact up to {@value #SAMPLE} customers; above, they are taken among the
 * customers whose hashed id falls in one of ⌈N / {@value #SAMPLE}⌉ buckets (a rank error of about
 * 0.1%), as the value quadrants' splits are.
 */
final class LoyaltyIndex implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long SAMPLE = 200_000;

  private final double[] weights;
  private final boolean[] higherIsLoyal;
  /** Per indicator, the sample's distinct values, ascending, and the mid-rank of each. */
  private final Ranks[] ranks;
  /** The sample's indices, sorted: where the value classes split loyalty. */
  private final double[] indices;

  private LoyaltyIndex(double[] weights, boolean[] higherIsLoyal, Ranks[] ranks, double[] indices) {
    this.weights = weights;
    this.higherIsLoyal = higherIsLoyal;
    this.ranks = ranks;
    this.indices = indices;
  }

  /**
   * One indicator's sample as its distinct values, ascending, with the values below each and each
   * one's mid-rank: a customer's rank is one binary search among far fewer values (the
   * indicators in days and counts take a few hundred) where two searches of the whole sample were.
   */
  record Ranks(double[] values, int[] below, double[] midRanks, int n) implements Serializable {
    static Ranks of(double[] sorted) {
      int distinct = 0;
      double[] values = new double[sorted.length];
      int[] below = new int[sorted.length + 1];
      double[] midRanks = new double[sorted.length];
      for (int i = 0; i < sorted.length; ) {
        int next = i + 1;
        while (next < sorted.length && sorted[next] == sorted[i]) {
          next++;
        }
        values[distinct] = sorted[i];
        below[distinct] = i;
        midRanks[distinct] = (i + 0.5 * (next - i)) / sorted.length;
        distinct++;
        i = next;
      }
      below[distinct] = sorted.length;
      return new Ranks(
          Arrays.copyOf(values, distinct), Arrays.copyOf(below, distinct + 1), Arrays.copyOf(midRanks, distinct),
          sorted.length);
    }

    /**
     * The mid-rank of a value among the sample's: (values below + half of the equal ones) / N,
     * 0.5 for an empty sample.
     */
    double of(double value) {
      if (n == 0) {
        return 0.5;
      }
      int low = 0;
      int high = values.length;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (values[mid] < value) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      if (low < values.length && values[low] == value) {
        return midRanks[low];
      }
      return (double) below[low] / n;
    }
  }

  /** The ranks of the customers in {@code features} (customer_features, {@code customers} rows). */
  static LoyaltyIndex of(Dataset<Row> features, LoyaltyConfig config, int windowDays, long customers) {
    List<LoyaltyConfig.Criterion> criteria = config.criteria();
    int n = criteria.size();
    double[][] values =
        NumberColumns.collect(CustomerSample.byId(features, customers, SAMPLE).select(indicators(config, windowDays)).na().drop());
    int rows = values[0].length;
    boolean[] higher = new boolean[n];
    Ranks[] perIndicator = new Ranks[n];
    for (int i = 0; i < n; i++) {
      higher[i] = criteria.get(i).higherIsLoyal();
      double[] ascending = values[i].clone();
      Arrays.sort(ascending);
      perIndicator[i] = Ranks.of(ascending);
    }
    LoyaltyIndex ranks = new LoyaltyIndex(config.priorities().weights(), higher, perIndicator, new double[0]);
    double[] indices = new double[rows];
    double[] customer = new double[n];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < n; i++) {
        customer[i] = values[i][r];
      }
      indices[r] = ranks.index(customer);
    }
    Arrays.sort(indices);
    return new LoyaltyIndex(ranks.weights, higher, perIndicator, indices);
  }

  /**
   * Each indicator as a double column of customer_features, in the order of the criteria. A
   * customer's regularity counts the comparable windows since their first purchase (at most all
   * of them); trend is the last window's spend minus the one before.
   */
  static Column[] indicators(LoyaltyConfig config, int windowDays) {
    return config.criteria().stream()
        .map(c -> indicator(c.indicator(), windowDays).cast(DataTypes.DoubleType).as(c.indicator().label()))
        .toArray(Column[]::new);
  }

  private static Column indicator(LoyaltyConfig.Indicator indicator, int windowDays) {
    return switch (indicator) {
      case RECENCY -> col(Columns.RECENCY_DAYS);
      case FREQUENCY -> col(Columns.FREQUENCY);
      case MONETARY -> col(Columns.MONETARY_TOTAL);
      case TENURE -> col(Columns.TENURE_DAYS);
      case AOV -> col(Columns.MONETARY_AVG);
      case REGULARITY -> CustomerIndicators.regularity(windowDays);
      case TREND -> CustomerIndicators.trend();
    };
  }

  /** The loyalty index of one customer's indicator values, in the order of the criteria. */
  double index(double[] values) {
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      double rank = ranks[i].of(values[i]);
      sum += weights[i] * (higherIsLoyal[i] ? rank : 1 - rank);
    }
    return 100 * sum;
  }

  /** The q-quantile of the sample's loyalty indices. */
  double split(double q) {
    return ValueQuadrants.quantile(indices, q);
  }

  /** The loyalty_index column of customer_features, its ranks shipped to the executors once. */
  Column column(JavaSparkContext context, LoyaltyConfig config, int windowDays) {
    Shipped shipped = new Shipped(context.broadcast(this));
    UDF1<Seq<Object>, Double> score =
        values -> {
          double[] v = new double[values.size()];
          for (int i = 0; i < v.length; i++) {
            Object value = values.apply(i);
            if (value == null) {
              return null;
            }
            v[i] = (Double) value;
          }
          return shipped.get().index(v);
        };
    return udf(score, DataTypes.DoubleType).apply(array(indicators(config, windowDays))).as(Columns.LOYALTY_INDEX);
  }

  /**
   * The broadcast ranks, held by a task once it has read them. Spark holds a broadcast's value
   * only by a soft reference, which a collection on a full heap clears (ingest's cached pass
   * fills it when a run makes many snapshots); read anew for each customer, the value was then
   * fetched and deserialized again after every collection: 465 of the 766 JFR samples of this
   * column in a twelve-snapshot run of the 1M-customer sample. Each task deserializes its own
   * copy of the column's function, and with it its own holder.
   */
  private static final class Shipped implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<LoyaltyIndex> broadcast;
    private transient LoyaltyIndex value;

    Shipped(Broadcast<LoyaltyIndex> broadcast) {
      this.broadcast = broadcast;
    }

    LoyaltyIndex get() {
      LoyaltyIndex held = value;
      if (held == null) {
        held = broadcast.value();
        value = held;
      }
      return held;
    }
  }
}
