package dev.lifecycle.jobs;

import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;

/** Tiny named Parquet fixtures written into a test's temp dir. */
public final class Fixtures {
  private Fixtures() {}

  /** Writes rows as one Parquet file under dir/name and returns the folder's path. */
  public static String parquet(Path dir, String name, StructType schema, Object[]... rows) {
    List<Row> list = Arrays.stream(rows).map(RowFactory::create).toList();
    String path = dir.resolve(name).toString();
    TestSpark.session()
        .createDataFrame(list, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(path);
    return path;
  }
}
