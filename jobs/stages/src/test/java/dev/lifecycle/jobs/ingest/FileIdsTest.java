package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The file ids the pass names rejected rows' files by, hashed on the driver, are the ids Spark's
 * xxhash64 gives the file column of every row.
 */
class FileIdsTest {
  @Test
  void theDriversHashOfEachPathIsSparks() {
    List<String> paths =
        List.of(
            "file:/data/in/part-00000-c000.snappy.parquet", "file:/data/a%20b/x.parquet",
            "hdfs://namenode:8020/lake/tx/day=2024-01-01/part-1.parquet", "s3a://bucket/ü/ñ.parquet", "");
    Map<Long, String> spark = new HashMap<>();
    for (Row row :
        TestSpark.session().createDataset(paths, Encoders.STRING()).select(xxhash64(col("value")), col("value")).collectAsList()) {
      spark.put(row.getLong(0), row.getString(1));
    }
    assertThat(Transactions.filesById(paths)).isEqualTo(spark).hasSize(paths.size());
  }
}
