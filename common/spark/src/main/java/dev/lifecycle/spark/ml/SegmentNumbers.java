package dev.lifecycle.spark.ml;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The last stage of a segment model: gives each k-means cluster and each SOM node its segment
 * number. The numbers are params, so a saved model carries them, and {@link #kmeansSegment()} and
 * {@link #nodeSegment()} read them back typed.
 */
public final class SegmentNumbers extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> clusterCol;
  private final Param<String> nodeCol;
  private final Param<String> kmeansSegmentCol;
  private final Param<String> somSegmentCol;
  private final IntArrayParam clusterSegments;
  private final IntArrayParam nodeSegments;

  public SegmentNumbers() {
    this(Identifiable$.MODULE$.randomUID("segmentNumbers"));
  }

  public SegmentNumbers(String uid) {
    this.uid = uid;
    clusterCol = new Param<>(this, "clusterCol", "input column: the k-means cluster, from 0");
    nodeCol = new Param<>(this, "nodeCol", "input column: the SOM node, from 0");
    kmeansSegmentCol = new Param<>(this, "kmeansSegmentCol", "output column: the k-means segment");
    somSegmentCol = new Param<>(this, "somSegmentCol", "output column: the SOM segment");
    clusterSegments = new IntArrayParam(this, "clusterSegments", "the segment of each k-means cluster");
    nodeSegments = new IntArrayParam(this, "nodeSegments", "the segment of each SOM node");
    setDefault(kmeansSegmentCol, "kmeans_segment");
    setDefault(somSegmentCol, "som_segment");
  }

  /** Clusters and nodes from the given columns to segments {@code kmeans[cluster]} and {@code nodes[node]}. */
  public static SegmentNumbers of(String clusterColumn, String nodeColumn, int[] kmeans, int[] nodes) {
    SegmentNumbers numbers = new SegmentNumbers();
    numbers.set(numbers.clusterCol, clusterColumn);
    numbers.set(numbers.nodeCol, nodeColumn);
    numbers.set(numbers.clusterSegments, kmeans.clone());
    return (SegmentNumbers) numbers.set(numbers.nodeSegments, nodes.clone());
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> clusterCol() {
    return clusterCol;
  }

  public Param<String> nodeCol() {
    return nodeCol;
  }

  public Param<String> kmeansSegmentCol() {
    return kmeansSegmentCol;
  }

  public Param<String> somSegmentCol() {
    return somSegmentCol;
  }

  public IntArrayParam clusterSegments() {
    return clusterSegments;
  }

  public IntArrayParam nodeSegments() {
    return nodeSegments;
  }

  /** The segment of each k-means cluster, cluster 0 first. */
  public int[] kmeansSegment() {
    return getOrDefault(clusterSegments).clone();
  }

  /** The segment of each SOM node, node 0 first. */
  public int[] nodeSegment() {
    return getOrDefault(nodeSegments).clone();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    for (Param<String> input : new Param[] {clusterCol, nodeCol}) {
      String column = getOrDefault(input);
      if (!Arrays.asList(schema.fieldNames()).contains(column)) {
        throw new IllegalArgumentException(
            "Cannot number segments: no column '" + column + "' among " + Arrays.toString(schema.fieldNames()));
      }
    }
    return schema.add(getOrDefault(kmeansSegmentCol), DataTypes.IntegerType).add(getOrDefault(somSegmentCol), DataTypes.IntegerType);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return dataset
        .withColumn(getOrDefault(kmeansSegmentCol), lookup(getOrDefault(clusterCol), kmeansSegment()))
        .withColumn(getOrDefault(somSegmentCol), lookup(getOrDefault(nodeCol), nodeSegment()));
  }

  /** values[index] for a 0-based index column, as a literal array. */
  private static Column lookup(String index, int[] values) {
    return element_at(array(Arrays.stream(values).mapToObj(v -> lit(v)).toArray(Column[]::new)), col(index).cast("int").plus(1));
  }

  @Override
  public SegmentNumbers copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<SegmentNumbers> read() {
    return new DefaultParamsReader<>();
  }

  public static SegmentNumbers load(String path) {
    return read().load(path);
  }
}
