package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A sample of customers that depends on their ids alone, never on partitioning, so re-runs and
 * clusters of any size pick the same ones.
 */
public final class CustomerSample {
  private CustomerSample() {}

  /**
   * At most about {@code most} of the {@code count} rows of {@code customers} (a customer_id
   * column): all of them when there are no more, else those whose hashed id falls in one of
   * ⌈count / most⌉ buckets.
   */
  public static Dataset<Row> byId(Dataset<Row> customers, long count, long most) {
    return count <= most
        ? customers
        : customers.where(pmod(xxhash64(col(Columns.CUSTOMER_ID)), lit((count + most - 1) / most)).equalTo(0));
  }
}
