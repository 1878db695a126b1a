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
  /** The same with null values, for a figure some names have not got. */
  public static final DataType NULLABLE_TYPE =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true);

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

  /**
   * A covariance matrix by pairs of names, each pair once in parameter order: {@code "r,alpha"};
   * null for a null matrix.
   */
  public static Map<String, Double> ofCovariance(List<Parameter> parameters, double[][] covariance) {
    if (covariance == null) {
      return null;
    }
    Map<String, Double> named = new LinkedHashMap<>();
    for (int i = 0; i < covariance.length; i++) {
      for (int j = i; j < covariance.length; j++) {
        named.put(pair(parameters, i, j), covariance[i][j]);
      }
    }
    return named;
  }

  /** The matrix of {@link #ofCovariance}; null for a null map. */
  public static double[][] covariance(Map<String, Double> named, List<Parameter> parameters) {
    if (named == null) {
      return null;
    }
    int n = parameters.size();
    double[][] covariance = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        Double value = named.get(pair(parameters, i, j));
        if (value == null) {
          throw new IllegalStateException("Cannot read covariance " + pair(parameters, i, j) + " from " + named);
        }
        covariance[i][j] = value;
        covariance[j][i] = value;
      }
    }
    return covariance;
  }

  private static String pair(List<Parameter> parameters, int i, int j) {
    return parameters.get(i).name() + "," + parameters.get(j).name();
  }
}
