package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.spark.io.Warehouse;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code retention_models}: one row per cohort and retention model, the selected one marked. A
 * pooled group's fit is repeated for each of its cohorts. The clv stage reads the selected fits
 * back for the cohort value tables.
 */
public final class RetentionModelsTable {
  public static final Table SPEC =
      new Table(
          "retention_models",
          "cohort x model",
          new StructType()
              .add(Columns.COHORT, DataTypes.DateType, false)
              .add(Columns.COHORT_SEGMENT, DataTypes.StringType, false)
              .add(Columns.MODEL, DataTypes.StringType, false)
              .add(Columns.STATUS, DataTypes.StringType, false)
              .add(Columns.PARAMETERS, NamedNumbers.TYPE)
              .add(Columns.STANDARD_ERRORS, NamedNumbers.TYPE)
              .add(Columns.COVARIANCE, NamedNumbers.TYPE)
              .add(Columns.LOG_LIKELIHOOD, DataTypes.DoubleType)
              .add(Columns.AIC, DataTypes.DoubleType)
              .add(Columns.HOLDOUT_MAPE, DataTypes.DoubleType)
              .add(Columns.SELECTED, DataTypes.BooleanType, false)
              .add(Columns.CUSTOMERS, DataTypes.LongType, false)
              .add(Columns.OBSERVED_PERIODS, DataTypes.IntegerType, false)
              .add(Columns.FIT_BASIS, DataTypes.StringType, false)
              .add(Columns.FIT_CUSTOMERS, DataTypes.LongType, false)
              .add(Columns.CUSTOMER_PERIODS, DataTypes.LongType, false));

  /** One cohort's fit of one model; parameters and the rest are null when it was not fitted. */
  public record Model(
      LocalDate cohort,
      String segment,
      String model,
      String status,
      Map<String, Double> parameters,
      Map<String, Double> standardErrors,
      Map<String, Double> covariance,
      Double logLikelihood,
      Double aic,
      Double holdoutMape,
      boolean selected,
      long customers,
      int observedPeriods,
      String fitBasis,
      long fitCustomers,
      long customerPeriods) {
    public Row toRow() {
      return RowFactory.create(
          Date.valueOf(cohort), segment, model, status, parameters, standardErrors, covariance, logLikelihood, aic,
          holdoutMape, selected, customers, observedPeriods, fitBasis, fitCustomers, customerPeriods);
    }
  }

  /**
   * A cohort's selected, fitted curve: what the cohort value tables project. The covariance is
   * null when the fit has none (see {@code status}); {@code customerPeriods} is the cohort's
   * customer-periods alive as observed (see {@code Lifetimes.customerPeriods}), null in a snapshot
   * written before the column was.
   */
  public record Selected(
      LocalDate cohort,
      String segment,
      String model,
      Map<String, Double> parameters,
      Map<String, Double> covariance,
      long customers,
      Long customerPeriods) {}

  private RetentionModelsTable() {}

  /** The selected fitted models of the snapshot, by cohort segment and then cohort. */
  public static List<Selected> selected(Warehouse warehouse, LocalDate snapshot) {
    Dataset<Row> models = SPEC.read(warehouse, snapshot);
    Column periods =
        Arrays.asList(models.columns()).contains(Columns.CUSTOMER_PERIODS)
            ? col(Columns.CUSTOMER_PERIODS)
            : lit(null).cast(DataTypes.LongType); // a partition written before the column
    return RowOrder.sorted(
            models
                .where(col(Columns.SELECTED).and(col(Columns.PARAMETERS).isNotNull()))
                .select(
                    col(Columns.COHORT), col(Columns.COHORT_SEGMENT), col(Columns.MODEL), col(Columns.PARAMETERS),
                    col(Columns.COVARIANCE), col(Columns.CUSTOMERS), periods.as(Columns.CUSTOMER_PERIODS)),
            Columns.COHORT_SEGMENT, Columns.COHORT)
        .stream()
        .map(
            row ->
                new Selected(
                    row.getDate(0).toLocalDate(), row.getString(1), row.getString(2), row.getJavaMap(3),
                    row.isNullAt(4) ? null : row.getJavaMap(4), row.getLong(5),
                    row.isNullAt(6) ? null : row.getLong(6)))
        .toList();
  }
}
