package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code transactions_rejected}: every input column as text, then why the row was rejected and the
 * file it came from.
 */
public final class TransactionsRejectedTable {
  public static final Table SPEC =
      new Table(
          "transactions_rejected",
          "bad input row",
          new StructType()
              .add(Columns.REJECT_REASON, DataTypes.StringType)
              .add(Columns.SOURCE_FILE, DataTypes.StringType),
          true);

  private TransactionsRejectedTable() {}
}
