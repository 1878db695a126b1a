package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.test.TestSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ValueQuadrantsTest {
  private static final StructType VALUES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType, false)
          .add(Columns.CURRENT_VALUE, DataTypes.DoubleType)
          .add(Columns.CLV, DataTypes.DoubleType);
  private static final LifecycleConfig.Value MEDIANS = new LifecycleConfig.Value(365, 0.5, 0.5, 0.5);

  private final SparkSession spark = TestSpark.session();

  @Test
  void theSplitIsTheSmallestValueWithTheShareAtOrBelowIt() {
    double[] values = {5.0, 1.0, 3.0, Double.NaN, 2.0}; // NaN: a null
    assertThat(ValueQuadrants.split(values, 0.5)).isEqualTo(2.0);
    assertThat(ValueQuadrants.split(values, 0.75)).isEqualTo(3.0);
    assertThat(ValueQuadrants.split(values, 0)).isEqualTo(1.0);
    assertThat(ValueQuadrants.split(values, 1)).isEqualTo(5.0);
    double[] tenths = new double[10];
    for (int i = 1; i <= 10; i++) {
      tenths[i - 1] = i;
    }
    assertThat(ValueQuadrants.split(tenths, 0.3)).as("0.3 x 10 is a hair above 3").isEqualTo(3.0);
    assertThat(ValueQuadrants.split(new double[] {Double.NaN}, 0.5)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void everyCustomerSetsTheSplitsWhenFewAndAHashedSampleWhenMany() {
    int n = 20_000;
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // current value 0..n-1; CLV a permutation of it, null for every tenth customer
      rows.add(RowFactory.create("c" + i, (double) i, i % 10 == 0 ? null : (double) ((i * 7919L) % n)));
    }
    Dataset<Row> scored = spark.createDataFrame(rows, VALUES).repartition(3);

    Map<String, Long> exact = quadrants(ValueQuadrants.add(scored, scored, n, MEDIANS));
    assertThat(exact.get(null)).isEqualTo(2000);
    // 18,000 CLVs: the median is the 9,000th, so 9,000 are above it
    assertThat(exact.get(ValueQuadrants.HIGH_HIGH) + exact.get(ValueQuadrants.LOW_HIGH)).isEqualTo(9000);
    Dataset<Row> quadrants = ValueQuadrants.add(scored, scored, n, MEDIANS);
    assertThat(quadrants.where(col(Columns.CURRENT_VALUE).gt(9999).and(col(Columns.CLV).isNotNull())).count())
        .isEqualTo(exact.get(ValueQuadrants.HIGH_HIGH) + exact.get(ValueQuadrants.HIGH_LOW));
    assertThat(
            quadrants.where(col(Columns.VALUE_QUADRANT).equalTo(ValueQuadrants.LOW_HIGH))
                .select(Columns.STRATEGY).distinct().collectAsList())
        .containsExactly(RowFactory.create("invest: develop the relationship"));

    // a sample of about 5,000: the split moves by a rank error, not by a share
    Map<String, Long> sampled = quadrants(ValueQuadrants.add(scored, scored, n, MEDIANS, 5000));
    double highCurrent =
        (sampled.get(ValueQuadrants.HIGH_HIGH) + sampled.get(ValueQuadrants.HIGH_LOW)) / 18000.0;
    double highPotential =
        (sampled.get(ValueQuadrants.HIGH_HIGH) + sampled.get(ValueQuadrants.LOW_HIGH)) / 18000.0;
    assertThat(sampled).as("the sample moved the splits").isNotEqualTo(exact);
    assertThat(highCurrent).isCloseTo(0.5, within(0.03));
    assertThat(highPotential).isCloseTo(0.5, within(0.03));
    assertThat(quadrants(ValueQuadrants.add(scored.repartition(7), scored.repartition(7), n, MEDIANS, 5000)))
        .as("the sample does not depend on partitioning")
        .isEqualTo(sampled);
  }

  /** Customers per quadrant; the key null counts those without one. */
  private static Map<String, Long> quadrants(Dataset<Row> scored) {
    Map<String, Long> counts = new HashMap<>();
    for (Row row : scored.groupBy(Columns.VALUE_QUADRANT).count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }
}
