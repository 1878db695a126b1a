package dev.lifecycle.spark.io;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A Delta table's history as Delta itself reports it (DESCRIBE HISTORY), oldest commit first. */
public final class DeltaHistory {
  private DeltaHistory() {}

  /** Each commit's operation (WRITE, ...). */
  public static List<String> operations(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history().orderBy("version").select("operation").as(Encoders.STRING()).collectAsList();
  }

  /** The newest commit's operation parameters, as text: a replacement's predicate among them. */
  public static String lastPredicate(SparkSession spark, String path) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationParameters").first();
    return String.valueOf(last.get(0));
  }
}
