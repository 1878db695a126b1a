package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the report counts of one table, in two queries however many charts draw on it: the scalar
 * aggregates, with the range of each linear histogram's column, then every histogram and grouping
 * at once, as grouping sets. A query for each chart cost a small run most of its report (each query
 * is planned, compiled and scheduled, and a grouping is two jobs), and a large table a scan each.
 * Each section declares what it counts of a table ({@link Spec}); the report merges them per table
 * and the first section to ask runs the queries, once.
 */
final class Tallies {
  /** The customers of a grouping's row: its count. */
  static final String N = "n";

  /** How many linear bins a histogram has. */
  static final int LINEAR_BINS = 20;

  /** What to count of a table, by name: scalars, histograms of a column, groupings by columns with their sums. */
  record Spec(
      Map<String, Column> scalars, Map<String, Binned> histograms, Map<String, List<String>> groupings, Map<String, Column> sums) {
    static Spec none() {
      return new Spec(Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** An aggregate of the whole table, e.g. {@code sum(current_spend)}. */
    Spec scalar(String name, Column aggregate) {
      return new Spec(with(scalars, name, aggregate), histograms, groupings, sums);
    }

    /**
     * The customers by bin of {@code value} (cast to double, nulls left out): 20 linear bins from its
     * least to its greatest value, or with {@code log} quarter-decade bins of log10(1 + x), x below 0 as 0.
     */
    Spec histogram(String name, Column value, boolean log) {
      return new Spec(scalars, with(histograms, name, new Binned(value, log)), groupings, sums);
    }

    /** The customers by the values of {@code columns} (nulls a value of their own), with every sum of {@link #sum}. */
    Spec grouping(String name, String... columns) {
      return new Spec(scalars, histograms, with(groupings, name, List.of(columns)), sums);
    }

    /** An aggregate of each group of every grouping, e.g. {@code sum(clv)}, under {@code name}. */
    Spec sum(String name, Column aggregate) {
      return new Spec(scalars, histograms, groupings, with(sums, name, aggregate));
    }

    /** Both specs' counts; a name may be declared once. */
    Spec and(Spec other) {
      Spec merged = this;
      for (Map.Entry<String, Column> e : other.scalars.entrySet()) {
        merged = merged.scalar(e.getKey(), e.getValue());
      }
      for (Map.Entry<String, Binned> e : other.histograms.entrySet()) {
        merged = new Spec(merged.scalars, with(merged.histograms, e.getKey(), e.getValue()), merged.groupings, merged.sums);
      }
      for (Map.Entry<String, List<String>> e : other.groupings.entrySet()) {
        merged = merged.grouping(e.getKey(), e.getValue().toArray(String[]::new));
      }
      for (Map.Entry<String, Column> e : other.sums.entrySet()) {
        merged = merged.sum(e.getKey(), e.getValue());
      }
      return merged;
    }

    private static <V> Map<String, V> with(Map<String, V> map, String name, V value) {
      if (map.containsKey(name)) {
        throw new IllegalArgumentException("Tally " + name + " declared twice");
      }
      Map<String, V> copy = new LinkedHashMap<>(map);
      copy.put(name, value);
      return copy;
    }
  }

  /** A histogram's column and scale. */
  record Binned(Column value, boolean log) {}

  /**
   * A histogram's customers by bin; {@code min} and {@code max} are the column's range (linear bins
   * only, NaN for log bins). Empty when the column has no values.
   */
  record Bins(boolean log, double min, double max, TreeMap<Long, Long> counts) {
    boolean isEmpty() {
      return counts.isEmpty();
    }
  }

  private final Dataset<Row> table;
  private final Spec spec;
  private Row scalars;
  private Map<String, Bins> bins;
  private Map<String, List<Row>> groups;
  private boolean counted;

  private Tallies(Dataset<Row> table, Spec spec) {
    this.table = table;
    this.spec = spec;
  }

  /** The counts {@code spec} declares of {@code table}, counted when first asked for. */
  static Tallies of(Dataset<Row> table, Spec spec) {
    return new Tallies(table, spec);
  }

  /** The table counted. */
  Dataset<Row> table() {
    return table;
  }

  /** The scalar {@code name}'s value (null when the aggregate is). */
  Object scalar(String name) {
    known(spec.scalars, name);
    Row row = counted().scalars;
    return row.get(row.fieldIndex(name));
  }

  Bins histogram(String name) {
    return known(counted().bins, name);
  }

  /** The groups of the grouping: its columns, {@value #N} and every sum, by name; in no set order. */
  List<Row> grouping(String name) {
    return known(counted().groups, name);
  }

  private static <V> V known(Map<String, V> map, String name) {
    V value = map.get(name);
    if (value == null) {
      throw new IllegalArgumentException("No tally " + name);
    }
    return value;
  }

  private synchronized Tallies counted() {
    if (!counted) {
      countAll();
      counted = true;
    }
    return this;
  }

  private void countAll() {
    // The scalars, with the range of each linear histogram's column.
    List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)).as("rows_")));
    spec.scalars.forEach((name, aggregate) -> aggregates.add(aggregate.as(name)));
    spec.histograms.forEach(
        (name, binned) -> {
          if (!binned.log()) {
            aggregates.add(min(binned.value().cast("double")).as("min_" + name));
            aggregates.add(max(binned.value().cast("double")).as("max_" + name));
          }
        });
    scalars = table.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();

    // Then the bins of every histogram with values and the groups of every grouping, in one query.
    bins = new LinkedHashMap<>();
    groups = new LinkedHashMap<>();
    Map<String, Column> binColumns = new LinkedHashMap<>();
    Map<String, String> binOf = new LinkedHashMap<>();
    for (Map.Entry<String, Binned> e : spec.histograms.entrySet()) {
      String name = e.getKey();
      Column v = e.getValue().value().cast("double");
      double lo = Double.NaN;
      double hi = Double.NaN;
      Column bin;
      if (e.getValue().log()) {
        bin = floor(log10(when(v.gt(0), v).otherwise(0).plus(1)).multiply(4));
      } else if (scalars.isNullAt(scalars.fieldIndex("min_" + name))) {
        bins.put(name, new Bins(false, lo, hi, new TreeMap<>()));
        continue;
      } else {
        lo = scalars.getDouble(scalars.fieldIndex("min_" + name));
        hi = scalars.getDouble(scalars.fieldIndex("max_" + name));
        bin = least(floor(v.minus(lo).divide(Math.max((hi - lo) / LINEAR_BINS, 1e-12))), lit(LINEAR_BINS - 1));
      }
      bins.put(name, new Bins(e.getValue().log(), lo, hi, new TreeMap<>()));
      String key = "bin_" + (binColumns.size() + 1);
      binColumns.put(key, when(v.isNotNull(), bin.cast("long")));
      binOf.put(name, key);
    }
    List<String> keys = new ArrayList<>(binColumns.keySet());
    LinkedHashSet<String> grouped = new LinkedHashSet<>();
    spec.groupings.values().forEach(grouped::addAll);
    keys.addAll(grouped);
    spec.groupings.keySet().forEach(name -> groups.put(name, new ArrayList<>()));
    if (keys.isEmpty()) {
      return;
    }
    // A set's grouping id has a bit per key, the first key's the highest, set where the key is not in the set.
    Map<Long, String> histogramOf = new LinkedHashMap<>();
    Map<Long, List<String>> groupingsOf = new LinkedHashMap<>();
    List<scala.collection.immutable.Seq<Column>> sets = new ArrayList<>();
    binOf.forEach(
        (name, key) -> {
          histogramOf.put(groupingId(keys, List.of(key)), name);
          sets.add(seq(List.of(col(key))));
        });
    spec.groupings.forEach(
        (name, columns) -> {
          long id = groupingId(keys, columns);
          if (!groupingsOf.containsKey(id)) {
            sets.add(seq(columns.stream().map(c -> col(c)).toList()));
          }
          groupingsOf.computeIfAbsent(id, any -> new ArrayList<>()).add(name);
        });
    List<Column> perGroup = new ArrayList<>(List.of(count(lit(1)).as(N)));
    spec.sums.forEach((name, aggregate) -> perGroup.add(aggregate.as(name)));
    List<Row> rows =
        (binColumns.isEmpty() ? table : table.withColumns(binColumns))
            .groupingSets(seq(sets), keys.stream().map(k -> col(k)).toArray(Column[]::new))
            .agg(grouping_id().as("grouping_id_"), perGroup.toArray(Column[]::new))
            .collectAsList();
    int idAt = keys.size();
    Map<String, StructType> schemas = new LinkedHashMap<>();
    for (Row row : rows) {
      long id = row.getLong(idAt);
      String histogram = histogramOf.get(id);
      if (histogram != null) {
        int at = keys.indexOf(binOf.get(histogram));
        if (!row.isNullAt(at)) { // else the rows without a value
          bins.get(histogram).counts().put(row.getLong(at), row.getLong(idAt + 1));
        }
      }
      for (String name : groupingsOf.getOrDefault(id, List.of())) {
        List<String> columns = spec.groupings.get(name);
        StructType schema = schemas.computeIfAbsent(name, any -> groupSchema(row.schema(), columns, idAt));
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < columns.size(); i++) {
          values[i] = row.get(keys.indexOf(columns.get(i)));
        }
        for (int i = columns.size(); i < values.length; i++) {
          values[i] = row.get(idAt + 1 + i - columns.size());
        }
        groups.get(name).add(new GenericRowWithSchema(values, schema));
      }
    }
  }

  /** A grouping's rows: its columns, then the count and the sums. */
  private static StructType groupSchema(StructType counted, List<String> columns, int idAt) {
    StructType schema = new StructType();
    for (String column : columns) {
      schema = schema.add(counted.apply(column));
    }
    for (int i = idAt + 1; i < counted.size(); i++) {
      schema = schema.add(counted.fields()[i]);
    }
    return schema;
  }

  private static long groupingId(List<String> keys, List<String> set) {
    long id = 0;
    for (String key : keys) {
      id = (id << 1) | (set.contains(key) ? 0 : 1);
    }
    return id;
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toList();
  }
}
