package dev.lifecycle.spark.table;

import dev.lifecycle.core.cluster.ExactSum;
import dev.lifecycle.core.clv.CustomerValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Totals of CLV over groups of customers, with their P10–P90 intervals: every customer's CLV
 * under each of the models' parameter draws ({@link CustomerValue#addDraws}), summed per group
 * and draw, so the interval is that of the total, not a sum of the customers' intervals. One pass
 * over the customers; each partition sums its own ({@link Sums}) and the driver adds the
 * partitions ({@link #totals}), exactly ({@link ExactSum}), so the totals do not depend on how the
 * customers are partitioned.
 */
public final class ClvDrawTotals {
  private ClvDrawTotals() {}

  /**
   * For each of the integer {@code keys} columns of {@code customers} (which also hold the BTYD
   * summary, {@code repeat_value_avg} and {@code monetary_total}), the CLV total per value of the
   * column; a customer whose key is null is left out of that column's totals. A total with a
   * customer whose CLV the models cannot give (see {@link CustomerValue.Score}) is NaN, with no
   * interval; one with a draw that gives no value (a spend draw with q &lt;= 1) has no interval.
   */
  public static List<Map<Integer, ClvModelsTable.Total>> byKeys(
      Dataset<Row> customers, CustomerValue value, List<String> keys) {
    int columns = keys.size();
    List<String> read = new ArrayList<>(List.of(
        Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T, Columns.REPEAT_VALUE_AVG, Columns.MONETARY_TOTAL));
    read.addAll(keys);
    List<List<Map<Integer, ExactSum[]>>> partitions =
        customers
            .selectExpr(read.toArray(String[]::new))
            .javaRDD()
            .mapPartitions(
                rows -> {
                  Sums sums = new Sums(value, columns);
                  while (rows.hasNext()) {
                    Row row = rows.next();
                    sums.customer(
                        row.getLong(0), row.getDouble(1), row.getDouble(2), row.isNullAt(3) ? Double.NaN : row.getDouble(3),
                        row.getDouble(4));
                    for (int k = 0; k < columns; k++) {
                      if (!row.isNullAt(5 + k)) {
                        sums.add(k, row.getInt(5 + k));
                      }
                    }
                  }
                  return List.of(sums.sums()).iterator();
                })
            .collect();
    return totals(partitions, columns, value.draws());
  }

  /**
   * One partition's sums: for each customer in turn, {@link #customer} computes their CLV under
   * each draw, and {@link #add} adds it to a group of a key column.
   */
  public static final class Sums {
    private final CustomerValue value;
    private final int draws;
    private final List<Map<Integer, ExactSum[]>> sums = new ArrayList<>();
    private final double[] customer;
    private double clv;

    /** For {@code columns} key columns. */
    public Sums(CustomerValue value, int columns) {
      this.value = value;
      this.draws = value.draws();
      this.customer = new double[draws];
      for (int k = 0; k < columns; k++) {
        sums.add(new HashMap<>());
      }
    }

    /** The next customer: their BTYD summary, mean repeat value (NaN if none) and monetary total. */
    public void customer(double x, double tx, double bigT, double repeatValue, double monetaryTotal) {
      Arrays.fill(customer, 0);
      clv = value.addDraws(x, tx, bigT, repeatValue, CustomerValue.meanSpend(monetaryTotal, x), customer);
    }

    /** Adds the current customer to the group {@code key} of key column {@code column}. */
    public void add(int column, int key) {
      ExactSum[] sum = sums.get(column).computeIfAbsent(key, any -> zeros(draws + 3));
      if (!Double.isFinite(clv)) {
        sum[draws + 1].add(1); // a CLV the models cannot give: the total is unknown
        return;
      }
      sum[0].add(clv);
      for (int d = 0; d < draws; d++) {
        if (Double.isFinite(customer[d])) {
          sum[d + 1].add(customer[d]);
        } else {
          sum[draws + 2].add(1); // a draw without a value: no interval
        }
      }
    }

    /** Per key column, the sums by group: what a partition hands to {@link #totals}. */
    public List<Map<Integer, ExactSum[]>> sums() {
      return sums;
    }
  }

  /**
   * For each of {@code columns} key columns, the totals by group of the partitions' {@link
   * Sums#sums}, with {@code draws} draws.
   */
  public static List<Map<Integer, ClvModelsTable.Total>> totals(
      List<List<Map<Integer, ExactSum[]>>> partitions, int columns, int draws) {
    List<Map<Integer, ClvModelsTable.Total>> totals = new ArrayList<>();
    for (int k = 0; k < columns; k++) {
      Map<Integer, ExactSum[]> sums = new TreeMap<>();
      for (List<Map<Integer, ExactSum[]>> partition : partitions) {
        partition.get(k).forEach((key, sum) -> {
          ExactSum[] into = sums.computeIfAbsent(key, any -> zeros(draws + 3));
          for (int d = 0; d < into.length; d++) {
            into[d].add(sum[d]);
          }
        });
      }
      Map<Integer, ClvModelsTable.Total> column = new TreeMap<>();
      sums.forEach((key, sum) -> column.put(key, total(sum, draws)));
      totals.add(column);
    }
    return totals;
  }

  private static ExactSum[] zeros(int n) {
    ExactSum[] sums = new ExactSum[n];
    for (int i = 0; i < n; i++) {
      sums[i] = new ExactSum();
    }
    return sums;
  }

  private static ClvModelsTable.Total total(ExactSum[] sum, int draws) {
    double[] values = Arrays.stream(sum).mapToDouble(ExactSum::value).toArray();
    if (values[draws + 1] > 0) {
      return new ClvModelsTable.Total(Double.NaN, null, null);
    }
    if (draws == 0 || values[draws + 2] > 0) {
      return new ClvModelsTable.Total(values[0], null, null);
    }
    return ClvModelsTable.Total.of(values[0], CustomerValue.Interval.of(Arrays.copyOfRange(values, 1, draws + 1)));
  }
}
