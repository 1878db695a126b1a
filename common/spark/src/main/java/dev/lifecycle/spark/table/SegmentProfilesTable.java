package dev.lifecycle.spark.table;

import dev.lifecycle.spark.io.Warehouse;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code segment_profiles}: per method ({@code kmeans}, {@code som}) and segment, its size, share
 * of revenue, mean and median recency, frequency and monetary value, and a readable label.
 */
public final class SegmentProfilesTable {
  public static final String KMEANS = "kmeans";
  public static final String SOM = "som";
  public static final String REVENUE_SHARE = "revenue_share";

  public static final Table SPEC =
      new Table(
          "segment_profiles",
          "method x segment",
          new StructType()
              .add(Columns.METHOD, DataTypes.StringType, false)
              .add(Columns.SEGMENT, DataTypes.IntegerType, false)
              .add(Columns.CUSTOMERS, DataTypes.LongType, false)
              .add(REVENUE_SHARE, DataTypes.DoubleType, false)
              .add("mean_recency_days", DataTypes.DoubleType, false)
              .add("median_recency_days", DataTypes.DoubleType, false)
              .add("mean_frequency", DataTypes.DoubleType, false)
              .add("median_frequency", DataTypes.DoubleType, false)
              .add("mean_monetary", DataTypes.DoubleType, false)
              .add("median_monetary", DataTypes.DoubleType, false)
              .add(Columns.LABEL, DataTypes.StringType, false));

  /** One segment of one method. */
  public record Profile(
      String method,
      int segment,
      long customers,
      double revenueShare,
      double meanRecencyDays,
      double medianRecencyDays,
      double meanFrequency,
      double medianFrequency,
      double meanMonetary,
      double medianMonetary,
      String label) {
    public Row toRow() {
      return RowFactory.create(
          method, segment, customers, revenueShare, meanRecencyDays, medianRecencyDays, meanFrequency,
          medianFrequency, meanMonetary, medianMonetary, label);
    }

    static Profile of(Row row) {
      return new Profile(
          row.getAs(Columns.METHOD), row.<Integer>getAs(Columns.SEGMENT), row.<Long>getAs(Columns.CUSTOMERS),
          row.<Double>getAs(REVENUE_SHARE), row.<Double>getAs("mean_recency_days"),
          row.<Double>getAs("median_recency_days"), row.<Double>getAs("mean_frequency"),
          row.<Double>getAs("median_frequency"), row.<Double>getAs("mean_monetary"),
          row.<Double>getAs("median_monetary"), row.getAs(Columns.LABEL));
    }
  }

  private SegmentProfilesTable() {}

  public static Table.Written write(Warehouse warehouse, List<Profile> profiles, LocalDate snapshot) {
    return SPEC.replace(warehouse, profiles.stream().map(Profile::toRow).toList(), snapshot);
  }

  /** The profiles of a snapshot's rows, by method, then segment. */
  public static List<Profile> profiles(Dataset<Row> rows) {
    return rows.orderBy(Columns.METHOD, Columns.SEGMENT).collectAsList().stream().map(Profile::of).toList();
  }
}
