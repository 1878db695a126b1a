package dev.lifecycle.spark.table;

import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.clv.GammaGamma;
import dev.lifecycle.core.clv.PurchaseProcess;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.Parameter;
import dev.lifecycle.spark.io.Warehouse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code clv_models}: one row per fitted customer model of the snapshot, the purchase model
 * ({@code bg_nbd}, {@code mbg_nbd} or {@code pareto_nbd}) and the spend model ({@code
 * gamma_gamma}), with the covariance of their estimates, and on the purchase model's row the
 * total CLV of the snapshot's customers with its interval. Written by the clv stage; read back,
 * decoded here into the per-customer models, by the stages that score customers.
 */
public final class ClvModelsTable {
  public static final String GAMMA_GAMMA = "gamma_gamma";

  public static final Table SPEC =
      new Table(
          "clv_models",
          "model",
          new StructType()
              .add(Columns.MODEL, DataTypes.StringType, false)
              .add(Columns.STATUS, DataTypes.StringType, false)
              .add(Columns.PARAMETERS, NamedNumbers.TYPE)
              .add(Columns.STANDARD_ERRORS, NamedNumbers.TYPE)
              .add(Columns.COVARIANCE, NamedNumbers.TYPE)
              .add(Columns.LOG_LIKELIHOOD, DataTypes.DoubleType)
              .add(Columns.CUSTOMERS, DataTypes.LongType, false)
              .add(Columns.TIME_UNIT, DataTypes.StringType, false)
              .add(Columns.FREQUENCY_SPEND_CORRELATION, DataTypes.DoubleType)
              .add(Columns.CLV_TOTAL, DataTypes.DoubleType)
              .add(Columns.CLV_TOTAL_P10, DataTypes.DoubleType)
              .add(Columns.CLV_TOTAL_P90, DataTypes.DoubleType)
              .add(Columns.SELECTION, DataTypes.StringType)
              .add(Columns.HOLDOUT_ERRORS, NamedNumbers.NULLABLE_TYPE));

  /**
   * One model: parameters, standard errors and covariance by name, null when not found or not
   * known; the correlation of frequency and spend on the spend model's row only; the CLV total
   * and its interval on the purchase model's row only, null when not known.
   */
  public record Model(
      String model,
      String status,
      Map<String, Double> parameters,
      Map<String, Double> standardErrors,
      Map<String, Double> covariance,
      Double logLikelihood,
      long customers,
      String timeUnit,
      Double frequencySpendCorrelation,
      Total clvTotal,
      String selection,
      Map<String, Double> holdoutErrors) {
    public static final String NOT_FITTED = "not fitted: ";

    Row toRow() {
      return RowFactory.create(
          model, status, parameters, standardErrors, covariance, logLikelihood, customers, timeUnit,
          frequencySpendCorrelation, clvTotal == null || !Double.isFinite(clvTotal.value()) ? null : clvTotal.value(),
          clvTotal == null ? null : clvTotal.p10(), clvTotal == null ? null : clvTotal.p90(), selection,
          holdoutErrors);
    }

    /** The row with how {@code clv.purchase-model = auto} chose it (both null otherwise). */
    public Model chosen(String how, Map<String, Double> errors) {
      return new Model(
          model, status, parameters, standardErrors, covariance, logLikelihood, customers, timeUnit,
          frequencySpendCorrelation, clvTotal, how, errors);
    }

    /** The parameters, with their covariance, in the order the model takes them; null when not fitted. */
    public CustomerValue.Fit fit(List<Parameter> order) {
      return fitted() ? new CustomerValue.Fit(values(order), NamedNumbers.covariance(covariance, order)) : null;
    }

    /** Whether its parameters may be used: a status of {@code fitted}, with or without notes. */
    public boolean fitted() {
      return parameters != null && !status.startsWith(NOT_FITTED);
    }

    static Model of(Row row) {
      return new Model(
          row.getAs(Columns.MODEL),
          row.getAs(Columns.STATUS),
          map(row, Columns.PARAMETERS),
          map(row, Columns.STANDARD_ERRORS),
          map(row, Columns.COVARIANCE),
          row.getAs(Columns.LOG_LIKELIHOOD),
          row.<Long>getAs(Columns.CUSTOMERS),
          row.getAs(Columns.TIME_UNIT),
          row.getAs(Columns.FREQUENCY_SPEND_CORRELATION),
          row.isNullAt(row.fieldIndex(Columns.CLV_TOTAL))
              ? null
              : new Total(
                  row.getAs(Columns.CLV_TOTAL), row.getAs(Columns.CLV_TOTAL_P10), row.getAs(Columns.CLV_TOTAL_P90)),
          row.getAs(Columns.SELECTION),
          map(row, Columns.HOLDOUT_ERRORS));
    }

    private static Map<String, Double> map(Row row, String column) {
      return row.isNullAt(row.fieldIndex(column)) ? null : row.getJavaMap(row.fieldIndex(column));
    }

    /** The parameters in the order the model takes them, or null when it was not fitted. */
    public double[] values(List<Parameter> order) {
      return NamedNumbers.values(parameters, order);
    }
  }

  /** A CLV total and the 10th and 90th percentiles of its parameter draws, null without them. */
  public record Total(double value, Double p10, Double p90) {
    public static Total of(double value, CustomerValue.Interval interval) {
      return Double.isFinite(interval.p10())
          ? new Total(value, interval.p10(), interval.p90())
          : new Total(value, null, null);
    }
  }

  private ClvModelsTable() {}

  /**
   * The per-customer models of the snapshot's {@code clv_models}: the purchase model it holds
   * (the configured one, or the one {@code auto} chose) under {@code config}'s CLV terms; empty when the clv stage has not run for it or the purchase model could
   * not be fitted. Without a usable spend model, CLV uses each customer's mean spend.
   */
  public static Optional<CustomerValue> customerValue(
      Warehouse warehouse, LifecycleConfig config, LocalDate snapshot) {
    if (!SPEC.has(warehouse, snapshot)) {
      return Optional.empty();
    }
    Map<String, Model> models = read(warehouse, snapshot);
    Model purchase = models.values().stream().filter(m -> !m.model().equals(GAMMA_GAMMA)).findFirst().orElse(null);
    if (purchase == null || !purchase.fitted()) {
      return Optional.empty();
    }
    LifecycleConfig.PurchaseModel model = LifecycleConfig.PurchaseModel.ofLabel(purchase.model());
    Model spend = models.get(GAMMA_GAMMA);
    return Optional.of(
        new CustomerValue(
            model,
            purchase.fit(PurchaseProcess.of(model).parameters()),
            spend == null ? null : spend.fit(GammaGamma.PARAMETERS),
            config.timeUnit().days(),
            config.clv()));
  }

  public static Table.Written write(Warehouse warehouse, List<Model> models, LocalDate snapshot) {
    return SPEC.replace(warehouse, models.stream().map(Model::toRow).toList(), snapshot);
  }

  /** The snapshot's purchase model, when the clv stage has run for it. */
  public static Optional<Model> purchaseModel(Warehouse warehouse, LocalDate snapshot) {
    if (!SPEC.has(warehouse, snapshot)) {
      return Optional.empty();
    }
    return read(warehouse, snapshot).values().stream().filter(m -> !m.model().equals(GAMMA_GAMMA)).findFirst();
  }

  /** The snapshot's models by name. */
  public static Map<String, Model> read(Warehouse warehouse, LocalDate snapshot) {
    Map<String, Model> models = new LinkedHashMap<>();
    SPEC.read(warehouse, snapshot).collectAsList().forEach(row -> {
      Model model = Model.of(row);
      models.put(model.model(), model);
    });
    return models;
  }
}
