package dev.lifecycle.spark.table;

import dev.lifecycle.core.mle.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A model's parameters (or their standard errors) as the tables hold them: a map from the
 * parameter's name to its value, so BI reads {@code parameters['r']} and a model with other
 * parameters needs no other column.
 */
public final class NamedNumbers {
  public static final DataType TYPE = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false);

  private NamedNumbers() {}

  /** {@code values} in the order of {@code parameters}, by name. */
  public static Map<String, Double> of(List<Parameter> parameters, double[] values) {
    Map<String, Double> named = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      named.put(parameters.get(i).name(), values[i]);
    }
    return named;
  }

  /** The values in the order of {@code parameters}; null for a null map. */
  public static double[] values(Map<String, Double> named, List<Parameter> parameters) {
    if (named == null) {
      return null;
    }
    return parameters.stream()
        .mapToDouble(
            p -> {
              Double value = named.get(p.name());
              if (value == null) {
                throw new IllegalStateException("Cannot read parameter " + p.name() + " from " + named);
              }
              return value;
            })
        .toArray();
  }
}
