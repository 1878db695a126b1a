package dev.lifecycle.spark.stage;

import dev.lifecycle.spark.table.Table;
import java.util.List;

/**
 * What a stage returns: an immutable record of its counts, its metrics and the tables it wrote.
 * The run logs its rows, in its unit, when it ends ({@code segment done in 6.5 s: 1,000,000
 * customers}) and puts the rest in the manifest.
 */
public interface StageResult {
  /** The rows the stage's log line reports. */
  long rows();

  /** What {@link #rows} counts, e.g. {@code customers}. */
  String unit();

  List<Table.Written> tables();

  /** A stage whose log line counts customers. */
  interface OfCustomers extends StageResult {
    long customers();

    @Override
    default long rows() {
      return customers();
    }

    @Override
    default String unit() {
      return "customers";
    }
  }
}
