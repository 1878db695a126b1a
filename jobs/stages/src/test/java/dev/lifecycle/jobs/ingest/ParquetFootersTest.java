package dev.lifecycle.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The footers of Parquet files Spark wrote: their rows, and the newest value of a timestamp column
 * from the row groups' statistics, or nothing where the statistics cannot say.
 */
class ParquetFootersTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path dir;

  @Test
  void rowsAndTheNewestTimestampOfEveryFile() {
    // Three files; the newest value in the middle one, to the microsecond; nulls count as rows
    List<String> files =
        write("typed", "SELECT id, CASE WHEN id = 7 THEN NULL ELSE TIMESTAMP'2024-01-05 10:00:00' + make_interval(0, 0, 0, id)"
            + " END AS ts FROM range(10)", 3);
    files.addAll(write("newest", "SELECT 10 AS id, TIMESTAMP'2024-03-01 23:59:59.123456' AS ts", 1));
    Optional<ParquetFooters> footers = ParquetFooters.read(files, "ts", CONF);

    assertThat(footers).isPresent();
    assertThat(footers.get().rows()).isEqualTo(11);
    assertThat(footers.get().newest()).contains(Instant.parse("2024-03-01T23:59:59.123456Z"));
    assertThat(footers.get().newest().get())
        .isEqualTo(TestSpark.session().sql("SELECT max(ts) FROM parquet.`" + dir + "/*`").first().getTimestamp(0).toInstant());
  }

  @Test
  void onlyNullsHoldNoNewestValue() {
    List<String> files = write("nulls", "SELECT id, CAST(NULL AS TIMESTAMP) AS ts FROM range(4)", 1);
    ParquetFooters footers = ParquetFooters.read(files, "ts", CONF).orElseThrow();
    assertThat(footers.rows()).isEqualTo(4);
    assertThat(footers.newest()).isEmpty();
  }

  @Test
  void theStatisticsSayNothingOfTextTimestampsOtherNamesOrMissingColumns() {
    List<String> text = write("text", "SELECT id, '2024-01-05' AS ts FROM range(3)", 1);
    assertThat(ParquetFooters.read(text, "ts", CONF).orElseThrow().newest()).isEmpty();
    assertThat(ParquetFooters.read(text, "ts", CONF).orElseThrow().rows()).isEqualTo(3);

    List<String> upper = write("upper", "SELECT id, TIMESTAMP'2024-01-05 00:00:00' AS TS FROM range(3)", 1);
    assertThat(ParquetFooters.read(upper, "ts", CONF).orElseThrow().newest()).as("matched regardless of case by Spark").isEmpty();

    List<String> both = write("typed", "SELECT id, TIMESTAMP'2024-01-05 00:00:00' AS ts FROM range(3)", 1);
    both.addAll(write("without", "SELECT id FROM range(2)", 1));
    ParquetFooters mixed = ParquetFooters.read(both, "ts", CONF).orElseThrow();
    assertThat(mixed.rows()).isEqualTo(5);
    assertThat(mixed.newest()).as("a file without the column").isEmpty();
  }

  @Test
  void aFileItCannotReadOrTooManyFilesLeaveTheCountToSpark() throws IOException {
    List<String> files = write("typed", "SELECT id, TIMESTAMP'2024-01-05 00:00:00' AS ts FROM range(3)", 1);
    Path broken = Files.writeString(dir.resolve("broken.parquet"), "not parquet");
    List<String> withBroken = new ArrayList<>(files);
    withBroken.add(broken.toUri().toString());
    assertThat(ParquetFooters.read(withBroken, "ts", CONF)).isEmpty();

    List<String> many = new ArrayList<>();
    for (int i = 0; i <= ParquetFooters.MAX_FILES; i++) {
      many.add(files.get(0));
    }
    assertThat(ParquetFooters.read(many, "ts", CONF)).isEmpty();
    assertThat(ParquetFooters.read(many.subList(0, ParquetFooters.MAX_FILES), "ts", CONF).orElseThrow().rows())
        .isEqualTo(3L * ParquetFooters.MAX_FILES);
  }

  /** The files of {@code sql}'s rows written as Parquet in {@code partitions} files. */
  private List<String> write(String name, String sql, int partitions) {
    SparkSession spark = TestSpark.session();
    String folder = dir.resolve(name).toString();
    spark.sql(sql).repartition(partitions).write().parquet(folder);
    return new ArrayList<>(
        Arrays.stream(spark.read().parquet(folder).inputFiles()).map(Transactions::asMetadataPath).toList());
  }
}
