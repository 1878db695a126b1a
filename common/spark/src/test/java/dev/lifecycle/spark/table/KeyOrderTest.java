package dev.lifecycle.spark.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Grouped counts come to the driver as columns in one key order whatever the partitioning, and
 * numeric rows as columns in collectAsList's order.
 */
class KeyOrderTest {
  private static final StructType COUNTS =
      new StructType()
          .add("x", DataTypes.LongType, false)
          .add("t", DataTypes.DoubleType)
          .add("customers", DataTypes.LongType, false);

  private final SparkSession spark = TestSpark.session();

  @Test
  void rowsComeInKeyOrderNullFirstOnAnyPartitioning() {
    List<Row> rows = new ArrayList<>();
    long[] xs = {3, 0, 12, 1};
    Double[] ts = {null, -2.5, 0.0, 0.25, 7.0, 1e9};
    long customers = 1;
    for (long x : xs) {
      for (Double t : ts) {
        rows.add(RowFactory.create(x, t, customers++));
      }
    }
    Collections.shuffle(rows, new Random(7));

    double[][] one = KeyOrder.sorted(spark.createDataFrame(rows, COUNTS).repartition(1));
    double[][] five = KeyOrder.sorted(spark.createDataFrame(rows, COUNTS).repartition(5));

    assertThat(Arrays.deepEquals(five, one)).as("the same columns, NaN for NaN, from 1 and 5 partitions").isTrue();
    assertThat(one[0]).hasSize(24);
    for (int i = 1; i < 24; i++) {
      double x = one[0][i];
      double before = one[0][i - 1];
      assertThat(x).as("x ascending at %d", i).isGreaterThanOrEqualTo(before);
      if (x == before) {
        assertThat(Double.isNaN(one[1][i])).as("a null t only first within x = %s", x).isFalse();
        if (!Double.isNaN(one[1][i - 1])) {
          assertThat(one[1][i]).as("t ascending within x = %s", x).isGreaterThan(one[1][i - 1]);
        }
      } else {
        assertThat(one[1][i]).as("each x starts with its null t").isNaN();
      }
    }
    assertThat(one[0]).startsWith(0, 0, 0, 0, 0, 0, 1).endsWith(12);
    assertThat(boxed(one[1])).startsWith(Double.NaN, -2.5, 0.0, 0.25, 7.0, 1e9, Double.NaN);
    // each row's count travels with its keys: x = 12 came third, so its counts are 13..18
    assertThat(one[2]).endsWith(13, 14, 15, 16, 17, 18);
  }

  @Test
  void theOrderIsDoubleComparesByColumnWithNullsFirstAndTiesInTheirOrder() {
    Random random = new Random(11);
    double[] values = {
      Double.NaN, Double.NEGATIVE_INFINITY, -1e300, -2.5, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 0.25, 3,
      1e300, Double.POSITIVE_INFINITY
    };
    for (int n : new int[] {0, 1, 23, 24, 25, 1000}) {
      double[][] columns = new double[3][n];
      for (int i = 0; i < n; i++) {
        columns[0][i] = values[random.nextInt(4)]; // few values: ties go on to the next column
        columns[1][i] = values[random.nextInt(values.length)];
        columns[2][i] = values[random.nextInt(values.length)];
      }
      Integer[] expected = new Integer[n];
      Arrays.setAll(expected, i -> i);
      // Stable, by Double.compare with NaN (a null) first, column by column
      Arrays.sort(
          expected,
          (a, b) -> {
            for (double[] column : columns) {
              double x = column[a];
              double y = column[b];
              int c =
                  Double.isNaN(x) || Double.isNaN(y)
                      ? Boolean.compare(!Double.isNaN(x), !Double.isNaN(y))
                      : Double.compare(x, y);
              if (c != 0) {
                return c;
              }
            }
            return 0;
          });

      assertThat(KeyOrder.order(columns)).as("%d rows", n).containsExactly(Arrays.stream(expected).mapToInt(i -> i).toArray());
    }
  }

  @Test
  void numberColumnsKeepCollectOrderNullsAsNaNAndLongsExact() {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      rows.add(RowFactory.create(i * 1_000_000_007L, i % 7 == 0 ? null : i / 4.0, i));
    }
    Dataset<Row> data = spark.createDataFrame(rows, COUNTS).repartition(3);

    double[][] columns = NumberColumns.collect(data);

    List<Row> collected = data.collectAsList();
    assertThat(columns[0]).hasSize(collected.size());
    for (int i = 0; i < collected.size(); i++) {
      Row row = collected.get(i);
      assertThat((long) columns[0][i]).isEqualTo(row.getLong(0));
      if (row.isNullAt(1)) {
        assertThat(columns[1][i]).as("a null").isNaN();
      } else {
        assertThat(columns[1][i]).isEqualTo(row.getDouble(1));
      }
      assertThat((long) columns[2][i]).isEqualTo(row.getLong(2));
    }
  }

  /** Boxed, so that NaN equals NaN ({@link Double#equals}). */
  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
