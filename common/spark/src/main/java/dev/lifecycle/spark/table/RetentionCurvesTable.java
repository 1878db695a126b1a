package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code retention_curves}: per cohort, model and period, observed (Kaplan-Meier) and fitted
 * survival and the retention rate.
 */
public final class RetentionCurvesTable {
  public static final Table SPEC =
      new Table(
          "retention_curves",
          "cohort x model x period",
          new StructType()
              .add(Columns.COHORT, DataTypes.DateType, false)
              .add(Columns.COHORT_SEGMENT, DataTypes.StringType, false)
              .add(Columns.MODEL, DataTypes.StringType, false)
              .add(Columns.PERIOD, DataTypes.IntegerType, false)
              .add(Columns.PERIOD_START, DataTypes.DateType, false)
              .add(Columns.OBSERVED_SURVIVAL, DataTypes.DoubleType)
              .add(Columns.CUSTOMERS_AT_RISK, DataTypes.LongType)
              .add(Columns.FITTED_SURVIVAL, DataTypes.DoubleType)
              .add(Columns.RETENTION_RATE, DataTypes.DoubleType)
              .add(Columns.SELECTED, DataTypes.BooleanType, false));

  /** The model name of the observed (Kaplan-Meier) rows. */
  public static final String KAPLAN_MEIER = "kaplan_meier";

  private RetentionCurvesTable() {}
}
