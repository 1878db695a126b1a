package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * The pass's epoch day of a timestamp is the day a cast to DATE gives in the session's zone: by
 * arithmetic in zones of one fixed offset, by the cast in the others.
 */
class EpochDayTest {
  private static final long DAY = 86_400_000_000L;

  @Test
  void isTheCastsDayInFixedAndChangingZones() {
    List<Long> micros = new ArrayList<>(List.of(0L, -1L, 1L, DAY - 1, DAY, -DAY, -DAY - 1));
    // Midnights and the microseconds around them, far back and far ahead (year 1 to 9999)
    for (long day : new long[] {-719_162, -25_567, -1, 0, 1, 19_000, 20_453, 2_932_896}) {
      for (long offsetHours = -14; offsetHours <= 14; offsetHours++) {
        long midnight = day * DAY - offsetHours * 3_600_000_000L;
        micros.addAll(List.of(midnight - 1, midnight, midnight + 1));
      }
    }
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      micros.add(-62_135_596_800_000_000L + (long) (random.nextDouble() * 315_537_897_600_000_000L));
    }
    SparkSession spark = TestSpark.session();
    Dataset<Row> rows =
        spark.createDataset(micros, Encoders.LONG())
            .select(timestamp_micros(col("value")).as("ts"))
            .withColumn("m", unix_micros(col("ts")));
    String sessionZone = spark.conf().get("spark.sql.session.timeZone");
    try {
      for (String zone : List.of("UTC", "+05:30", "-08:00", "Asia/Kolkata", "America/New_York", "Europe/Amsterdam")) {
        spark.conf().set("spark.sql.session.timeZone", zone);
        Column ours = Transactions.epochDay(col("ts"), col("m"), ZoneId.of(zone)).as("ours");
        Column cast = unix_date(col("ts").cast(DataTypes.DateType)).as("cast");
        List<Row> days = rows.select(ours, cast).collectAsList();
        assertThat(days).hasSize(micros.size());
        for (Row day : days) {
          assertThat(day.getInt(0)).as(zone).isEqualTo(day.getInt(1));
        }
        assertThat(days.stream().map(day -> day.getInt(0)).distinct().count()).as(zone).isGreaterThan(1_000);
      }
    } finally {
      spark.conf().set("spark.sql.session.timeZone", sessionZone);
    }
  }

  @Test
  void aMissingTimestampHasNoDay() {
    Dataset<Row> rows =
        TestSpark.session().sql("SELECT CAST(NULL AS TIMESTAMP) AS ts").withColumn("m", unix_micros(col("ts")));
    Row day = rows.select(Transactions.epochDay(col("ts"), col("m"), ZoneId.of("UTC"))).first();
    assertThat(day.isNullAt(0)).isTrue();
  }
}
