package dev.lifecycle.jobs.segment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.cluster.PointBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The customers of one partition as the segment stage reads them: ids, the feature points (with
 * revenue as each point's amount and a hash of the id as its key), recency and frequency for the
 * profiles, and the BTYD summary for the segments' CLV totals. Every pass of the stage, from
 * fitting to the tables, reads these arrays rather than rows.
 */
record CustomerBlock(String[] ids, PointBlock points, double[] recency, double[] frequency, Btyd btyd)
    implements Serializable {
  /**
   * Each customer's BTYD summary (x, t_x, T) and mean repeat value, NaN where the table has none
   * (a customer without repeat purchases has no repeat value).
   */
  record Btyd(double[] x, double[] tx, double[] bigT, double[] repeatValue) implements Serializable {
    static Btyd of(int n) {
      return new Btyd(new double[n], new double[n], new double[n], new double[n]);
    }

    /** The summaries in the given order: the i-th is this one's {@code order[i]}-th. */
    Btyd permuted(int[] order) {
      Btyd moved = of(order.length);
      for (int i = 0; i < order.length; i++) {
        moved.x[i] = x[order[i]];
        moved.tx[i] = tx[order[i]];
        moved.bigT[i] = bigT[order[i]];
        moved.repeatValue[i] = repeatValue[order[i]];
      }
      return moved;
    }
  }

  /** Where the feature columns start in the rows {@link #raw} reads. */
  private static final int FEATURES = 9;

  /**
   * The customers with their raw features: {@code prepare} and {@code assemble} are the first two
   * stages of a segment model. The assembler's input columns, which {@code prepare} adds, are read
   * as they are, in the assembler's order: the vector it would build, without building it. Blocks
   * follow the partitions and order of {@code features}.
   */
  static JavaRDD<CustomerBlock> raw(Dataset<Row> features, Transformer prepare, VectorAssembler assemble) {
    String[] inputs = assemble.getInputCols();
    List<Column> columns = new ArrayList<>();
    columns.add(col(Columns.CUSTOMER_ID));
    columns.add(col(Columns.MONETARY_TOTAL));
    columns.add(xxhash64(col(Columns.CUSTOMER_ID)));
    columns.add(col(Columns.RECENCY_DAYS));
    columns.add(col(Columns.FREQUENCY));
    columns.add(col(Columns.BTYD_X));
    columns.add(col(Columns.BTYD_T_X));
    columns.add(col(Columns.BTYD_T));
    columns.add(col(Columns.REPEAT_VALUE_AVG));
    Arrays.stream(inputs).forEach(input -> columns.add(col(input).cast(DataTypes.DoubleType)));
    Dataset<Row> rows = prepare.transform(features).select(columns.toArray(Column[]::new));
    int dim = inputs.length;
    return rows.toJavaRDD().mapPartitions(iterator -> pack(iterator, dim));
  }

  private static Iterator<CustomerBlock> pack(Iterator<Row> rows, int dim) {
    List<CustomerBlock> blocks = new ArrayList<>();
    List<Row> pending = new ArrayList<>(PointBlock.CAPACITY);
    while (rows.hasNext()) {
      pending.add(rows.next());
      if (pending.size() == PointBlock.CAPACITY || !rows.hasNext()) {
        blocks.add(of(pending, dim));
        pending.clear();
      }
    }
    return blocks.iterator();
  }

  private static CustomerBlock of(List<Row> rows, int dim) {
    int n = rows.size();
    String[] ids = new String[n];
    double[] values = new double[n * dim];
    double[] amounts = new double[n];
    long[] keys = new long[n];
    double[] recency = new double[n];
    double[] frequency = new double[n];
    Btyd btyd = Btyd.of(n);
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      ids[i] = row.getString(0);
      amounts[i] = row.isNullAt(1) ? 0 : row.getDouble(1);
      keys[i] = row.getLong(2);
      recency[i] = row.isNullAt(3) ? Double.NaN : ((Number) row.get(3)).doubleValue();
      frequency[i] = row.isNullAt(4) ? Double.NaN : ((Number) row.get(4)).doubleValue();
      btyd.x[i] = row.isNullAt(5) ? Double.NaN : row.getLong(5);
      btyd.tx[i] = row.isNullAt(6) ? Double.NaN : row.getDouble(6);
      btyd.bigT[i] = row.isNullAt(7) ? Double.NaN : row.getDouble(7);
      btyd.repeatValue[i] = row.isNullAt(8) ? Double.NaN : row.getDouble(8);
      for (int f = 0; f < dim; f++) {
        if (row.isNullAt(FEATURES + f)) {
          throw new IllegalArgumentException(
              "Cannot segment customer " + ids[i] + ": feature " + f + " is missing");
        }
        values[i * dim + f] = row.getDouble(FEATURES + f);
      }
    }
    return new CustomerBlock(ids, new PointBlock(dim, values, amounts, keys), recency, frequency, btyd);
  }

  int size() {
    return ids.length;
  }

  /**
   * The block with its points standardized exactly as Spark's {@code StandardScalerModel}
   * transforms a vector, (x - mean) * (1 / sd) with 0 where sd is 0, and its customers put in the
   * {@link PointBlock#curveOrder curve order} of those points, which speeds every pass that looks
   * up nearest nodes or centers. Nothing the stage computes depends on the order within a block.
   */
  CustomerBlock standardized(double[] mean, double[] sd) {
    int dim = points.dim();
    double[] scale = Arrays.stream(sd).map(v -> v == 0 ? 0.0 : 1.0 / v).toArray();
    double[] values = points.values().clone();
    for (int i = 0; i < values.length; i++) {
      int f = i % dim;
      values[i] = (values[i] - mean[f]) * scale[f];
    }
    PointBlock scaled = new PointBlock(dim, values, points.amounts(), points.keys());
    int[] order = scaled.curveOrder();
    String[] movedIds = new String[order.length];
    double[] movedRecency = new double[order.length];
    double[] movedFrequency = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      movedIds[i] = ids[order[i]];
      movedRecency[i] = recency[order[i]];
      movedFrequency[i] = frequency[order[i]];
    }
    return new CustomerBlock(movedIds, scaled.permuted(order), movedRecency, movedFrequency, btyd.permuted(order));
  }
}
