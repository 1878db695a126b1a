package dev.lifecycle.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleJobTest {
  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();

  private Dataset<Row> transactions(String name) {
    return spark.read().parquet(dir.resolve(name).resolve("transactions").toString());
  }

  @Test
  void sameSeedGivesTheSameRowsWhateverThePartitionCount() {
    SampleJob.run(spark, 400, 11, 1, dir.resolve("one").toString());
    SampleJob.run(spark, 400, 11, 3, dir.resolve("three").toString());
    SampleJob.run(spark, 400, 12, 3, dir.resolve("other-seed").toString());

    Dataset<Row> one = transactions("one");
    Dataset<Row> three = transactions("three");
    assertThat(one.count()).isPositive().isEqualTo(three.count());
    assertThat(one.exceptAll(three).count()).isZero();
    assertThat(three.exceptAll(one).count()).isZero();
    assertThat(one.exceptAll(transactions("other-seed")).count()).isPositive();
  }

  @Test
  void truthDescribesEveryCustomerAndMatchesTheTransactions() {
    SampleJob.Result result = SampleJob.run(spark, 500, 5, 2, dir.resolve("s").toString());
    Dataset<Row> truth = spark.read().parquet(result.truthUri());

    assertThat(truth.count()).isEqualTo(500);
    assertThat(truth.select("segment_id").distinct().count()).isEqualTo(5);
    assertThat(truth.agg(org.apache.spark.sql.functions.sum("transactions")).first().getLong(0))
        .isEqualTo(result.transactions());
    assertThat(transactions("s").select("customer_id").distinct().count()).isEqualTo(500);
  }

  @Test
  void customerPurchasesStayInsideTheWindowAndFollowAcquisition() {
    SyntheticCustomers generator =
        new SyntheticCustomers(9, PlantedSegment.DEFAULTS, SampleJob.START, SampleJob.END);
    long start = SampleJob.START.atStartOfDay().toEpochSecond(java.time.ZoneOffset.UTC);
    long end = SampleJob.END.plusDays(1).atStartOfDay().toEpochSecond(java.time.ZoneOffset.UTC);

    for (long i = 0; i < 2000; i++) {
      SyntheticCustomers.Customer customer = generator.customer(i);
      assertThat(customer.purchases()).isNotEmpty();
      assertThat(customer.purchases().get(0).epochSecond()).isEqualTo(customer.acquiredEpochSecond());
      long previous = start;
      for (SyntheticCustomers.Purchase purchase : customer.purchases()) {
        assertThat(purchase.epochSecond()).isBetween(previous, end - 1);
        assertThat(purchase.amount()).isPositive();
        previous = purchase.epochSecond();
      }
    }
    assertThat(generator.customer(7)).isEqualTo(generator.customer(7));
    assertThat(SampleJob.END).isEqualTo(LocalDate.of(2025, 12, 31));
  }

  @Test
  void segmentsDifferInTheirMeanPurchaseRateAsPlanted() {
    SyntheticCustomers generator =
        new SyntheticCustomers(21, PlantedSegment.DEFAULTS, SampleJob.START, SampleJob.END);
    double[] lambdaSum = new double[6];
    int[] n = new int[6];
    for (long i = 0; i < 20_000; i++) {
      SyntheticCustomers.Customer customer = generator.customer(i);
      lambdaSum[customer.segment().id()] += customer.lambda();
      n[customer.segment().id()]++;
    }
    for (PlantedSegment segment : PlantedSegment.DEFAULTS) {
      // E[lambda] = r / alpha; with thousands of customers the mean is within 5%.
      double mean = lambdaSum[segment.id()] / n[segment.id()];
      assertThat(mean).as(segment.name()).isCloseTo(segment.r() / segment.alpha(), org.assertj.core.data.Percentage.withPercentage(5));
      assertThat((double) n[segment.id()] / 20_000).isCloseTo(segment.weight(), org.assertj.core.data.Offset.offset(0.02));
    }
  }
}
