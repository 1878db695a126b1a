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
 * of revenue, mean and median recency, frequency and monetary value, a readable label, and its
 * customers' total CLV with its interval when the snapshot's CLV models were fitted first.
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
              .add(Columns.LABEL, DataTypes.StringType, false)
              .add(Columns.CLV_TOTAL, DataTypes.DoubleType)
              .add(Columns.CLV_TOTAL_P10, DataTypes.DoubleType)
              .add(Columns.CLV_TOTAL_P90, DataTypes.DoubleType));

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
      String label,
      ClvModelsTable.Total clvTotal) {
    public Row toRow() {
      boolean total = clvTotal != null && Double.isFinite(clvTotal.value());
      return RowFactory.create(
          method, segment, customers, revenueShare, meanRecencyDays, medianRecencyDays, meanFrequency,
          medianFrequency, meanMonetary, medianMonetary, label, total ? clvTotal.value() : null,
          total ? clvTotal.p10() : null, total ? clvTotal.p90() : null);
    }

    /** The profile with its segment's CLV total. */
    public Profile withClvTotal(ClvModelsTable.Total total) {
      return new Profile(
          method, segment, customers, revenueShare, meanRecencyDays, medianRecencyDays, meanFrequency,
          medianFrequency, meanMonetary, medianMonetary, label, total);
    }

    static Profile of(Row row) {
      return new Profile(
          row.getAs(Columns.METHOD), row.<Integer>getAs(Columns.SEGMENT), row.<Long>getAs(Columns.CUSTOMERS),
          row.<Double>getAs(REVENUE_SHARE), row.<Double>getAs("mean_recency_days"),
          row.<Double>getAs("median_recency_days"), row.<Double>getAs("mean_frequency"),
          row.<Double>getAs("median_frequency"), row.<Double>getAs("mean_monetary"),
          row.<Double>getAs("median_monetary"), row.getAs(Columns.LABEL),
          row.isNullAt(row.fieldIndex(Columns.CLV_TOTAL))
              ? null
              : new ClvModelsTable.Total(
                  row.getAs(Columns.CLV_TOTAL), row.getAs(Columns.CLV_TOTAL_P10), row.getAs(Columns.CLV_TOTAL_P90)));
    }
  }

  private SegmentProfilesTable() {}

  public static Table.Written write(Warehouse warehouse, List<Profile> profiles, LocalDate snapshot) {
    return SPEC.replace(warehouse, profiles.stream().map(Profile::toRow).toList(), snapshot);
  }

  /** The profiles of a snapshot's rows, by method, then segment. */
  public static List<Profile> profiles(Dataset<Row> rows) {
    return RowOrder.sorted(rows, Columns.METHOD, Columns.SEGMENT).stream().map(Profile::of).toList();
  }
}
