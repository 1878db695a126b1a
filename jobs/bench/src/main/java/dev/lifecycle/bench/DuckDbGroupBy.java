package dev.lifecycle.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The other cold baseline of {@code scripts/bench-run}: DuckDB's group-by (per customer: max
 * timestamp, count, sum of amount) on the same Parquet, written as one Parquet file, in one
 * process. Arguments: the input folder, the output file, the threads.
 */
public final class DuckDbGroupBy {
  private DuckDbGroupBy() {}

  public static void main(String[] args) throws SQLException {
    String input = args[0].replace("'", "''");
    String output = args[1].replace("'", "''");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      sql.execute("SET threads = " + Integer.parseInt(args[2]));
      sql.execute(
          "COPY (SELECT customer_id, max(timestamp) AS last, count(*) AS n, sum(amount) AS total"
              + " FROM read_parquet('" + input + "/**/*.parquet') GROUP BY customer_id)"
              + " TO '" + output + "' (FORMAT parquet)");
    }
  }
}
