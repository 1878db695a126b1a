package dev.lifecycle.spark.table;

import dev.lifecycle.core.mle.Parameter;
import dev.lifecycle.spark.io.Warehouse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code clv_models}: one row per fitted customer model of the snapshot, the purchase model
 * ({@code bg_nbd}, {@code mbg_nbd} or {@code pareto_nbd}) and the spend model ({@code
 * gamma_gamma}). Written by the
 * clv stage and read back, decoded here, by the score stage.
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
              .add(Columns.LOG_LIKELIHOOD, DataTypes.DoubleType)
              .add(Columns.CUSTOMERS, DataTypes.LongType, false)
              .add(Columns.TIME_UNIT, DataTypes.StringType, false)
              .add(Columns.FREQUENCY_SPEND_CORRELATION, DataTypes.DoubleType));

  /**
   * One model: parameters and standard errors by name, null when not found or not known; the
   * correlation of frequency and spend on the spend model's row only.
   */
  public record Model(
      String model,
      String status,
      Map<String, Double> parameters,
      Map<String, Double> standardErrors,
      Double logLikelihood,
      long customers,
      String timeUnit,
      Double frequencySpendCorrelation) {
    public static final String NOT_FITTED = "not fitted: ";

    Row toRow() {
      return RowFactory.create(
          model, status, parameters, standardErrors, logLikelihood, customers, timeUnit, frequencySpendCorrelation);
    }

    /** Whether its parameters may be used: a status of {@code fitted}, with or without notes. */
    public boolean fitted() {
      return parameters != null && !status.startsWith(NOT_FITTED);
    }

    static Model of(Row row) {
      return new Model(
          row.getAs(Columns.MODEL),
          row.getAs(Columns.STATUS),
          row.isNullAt(row.fieldIndex(Columns.PARAMETERS)) ? null : row.getJavaMap(row.fieldIndex(Columns.PARAMETERS)),
          row.isNullAt(row.fieldIndex(Columns.STANDARD_ERRORS))
              ? null
              : row.getJavaMap(row.fieldIndex(Columns.STANDARD_ERRORS)),
          row.getAs(Columns.LOG_LIKELIHOOD),
          row.<Long>getAs(Columns.CUSTOMERS),
          row.getAs(Columns.TIME_UNIT),
          row.getAs(Columns.FREQUENCY_SPEND_CORRELATION));
    }

    /** The parameters in the order the model takes them, or null when it was not fitted. */
    public double[] values(List<Parameter> order) {
      return NamedNumbers.values(parameters, order);
    }
  }

  private ClvModelsTable() {}

  public static Table.Written write(Warehouse warehouse, List<Model> models, LocalDate snapshot) {
    return SPEC.replace(warehouse, models.stream().map(Model::toRow).toList(), snapshot);
  }

  /** The name of the snapshot's purchase model, when the clv stage has run for it. */
  public static java.util.Optional<String> purchaseModel(Warehouse warehouse, LocalDate snapshot) {
    if (!SPEC.has(warehouse, snapshot)) {
      return java.util.Optional.empty();
    }
    return read(warehouse, snapshot).keySet().stream().filter(name -> !name.equals(GAMMA_GAMMA)).findFirst();
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
