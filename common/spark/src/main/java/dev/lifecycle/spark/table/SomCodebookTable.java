package dev.lifecycle.spark.table;

import dev.lifecycle.spark.io.Warehouse;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code som_codebook}: one row per node of the snapshot's self-organizing map, with its place on
 * the grid, its weights (standardized features, named in {@code features}), the customers it holds,
 * its U-matrix height and its segment; and the grid's topology, so a reader can lay the map out.
 */
public final class SomCodebookTable {
  public static final String TOPOLOGY = "topology";
  public static final String FEATURES = "features";

  public static final Table SPEC =
      new Table(
          "som_codebook",
          "SOM node",
          new StructType()
              .add("node", DataTypes.IntegerType, false)
              .add("row", DataTypes.IntegerType, false)
              .add("col", DataTypes.IntegerType, false)
              .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
              .add("hits", DataTypes.LongType, false)
              .add("u_height", DataTypes.DoubleType, false)
              .add(Columns.SEGMENT, DataTypes.IntegerType, false)
              .add(TOPOLOGY, DataTypes.StringType, false)
              .add(FEATURES, DataTypes.createArrayType(DataTypes.StringType, false), false));

  /**
   * One node; {@code topology} and {@code features} are the same on every node of a map, and null
   * in a snapshot written before the table had them.
   */
  public record Node(
      int node, int row, int col, double[] weights, long hits, double uHeight, int segment, String topology,
      List<String> features) {
    Row toRow() {
      return RowFactory.create(node, row, col, weights, hits, uHeight, segment, topology, features.toArray(String[]::new));
    }

    static Node of(Row r) {
      List<Double> weights = r.getList(r.fieldIndex("weights"));
      boolean recorded = Arrays.asList(r.schema().fieldNames()).contains(TOPOLOGY);
      return new Node(
          r.<Integer>getAs("node"), r.<Integer>getAs("row"), r.<Integer>getAs("col"),
          weights.stream().mapToDouble(Double::doubleValue).toArray(), r.<Long>getAs("hits"),
          r.<Double>getAs("u_height"), r.<Integer>getAs(Columns.SEGMENT), recorded ? r.getAs(TOPOLOGY) : null,
          recorded ? r.getList(r.fieldIndex(FEATURES)) : null);
    }
  }

  private SomCodebookTable() {}

  public static Table.Written write(Warehouse warehouse, List<Node> nodes, LocalDate snapshot) {
    return SPEC.replace(warehouse, nodes.stream().map(Node::toRow).toList(), snapshot);
  }

  /** The nodes of a snapshot's rows, in node order. */
  public static List<Node> nodes(Dataset<Row> rows) {
    return RowOrder.sorted(rows, "node").stream().map(Node::of).toList();
  }
}
