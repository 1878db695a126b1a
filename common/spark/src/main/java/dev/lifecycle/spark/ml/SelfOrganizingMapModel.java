package dev.lifecycle.spark.ml;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.core.som.BatchSom;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.SomGrid;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained self-organizing map: maps each feature vector to its best-matching node and carries
 * the codebook, the training summary (hits, quantization and topographic error, U-matrix) and the
 * params it was fitted with ({@link SomParams}). Saves and loads as Spark ML params metadata plus
 * one Parquet row of data.
 */
public final class SelfOrganizingMapModel extends Model<SelfOrganizingMapModel>
    implements SomParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Codebook codebook;
  private final Summary summary;
  private final SomParams.Definitions params;

  /** What training measured on its final pass, and the QE before each update. */
  public record Summary(
      long[] hits,
      double quantizationError,
      double topographicError,
      double[] uMatrix,
      double[] quantizationErrors,
      double seconds)
      implements Serializable {
    static Summary of(BatchSom.Result result, double seconds) {
      return new Summary(
          result.finalPass().hits(),
          result.finalPass().quantizationError(),
          result.finalPass().topographicError(),
          result.codebook().uMatrix(),
          result.quantizationErrors().stream().mapToDouble(Double::doubleValue).toArray(),
          seconds);
    }

    public int iterations() {
      return quantizationErrors.length;
    }
  }

  SelfOrganizingMapModel(String uid, Codebook codebook, Summary summary) {
    this.uid = uid;
    this.codebook = codebook;
    this.summary = summary;
    params = SomParams.Definitions.of(this);
    SomParams.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<String> featuresCol() {
    return params.featuresCol();
  }

  @Override
  public Param<String> predictionCol() {
    return params.predictionCol();
  }

  @Override
  public IntParam rows() {
    return params.rows();
  }

  @Override
  public IntParam cols() {
    return params.cols();
  }

  @Override
  public IntParam maxNodes() {
    return params.maxNodes();
  }

  @Override
  public Param<String> topology() {
    return params.topology();
  }

  @Override
  public Param<String> neighbourhood() {
    return params.neighbourhood();
  }

  @Override
  public IntParam maxIter() {
    return params.maxIter();
  }

  @Override
  public DoubleParam sigmaStart() {
    return params.sigmaStart();
  }

  @Override
  public DoubleParam sigmaEnd() {
    return params.sigmaEnd();
  }

  @Override
  public Param<String> initMode() {
    return params.initMode();
  }

  @Override
  public LongParam seed() {
    return params.seed();
  }

  public SelfOrganizingMapModel setFeaturesCol(String value) {
    return (SelfOrganizingMapModel) set(featuresCol(), value);
  }

  public SelfOrganizingMapModel setPredictionCol(String value) {
    return (SelfOrganizingMapModel) set(predictionCol(), value);
  }

  public Codebook codebook() {
    return codebook;
  }

  public Summary summary() {
    return summary;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SomParams.appendPrediction(this, schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Codebook map = codebook;
    UserDefinedFunction node =
        functions
            .udf((UDF1<Vector, Integer>) v -> map.bestMatchingUnit(v.toArray()), DataTypes.IntegerType)
            .asNonNullable();
    return dataset.withColumn(getOrDefault(predictionCol()), node.apply(col(getOrDefault(featuresCol()))));
  }

  @Override
  public SelfOrganizingMapModel copy(ParamMap extra) {
    return copyValues(new SelfOrganizingMapModel(uid, codebook, summary), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<SelfOrganizingMapModel> read() {
    return new Reader();
  }

  public static SelfOrganizingMapModel load(String path) {
    return read().load(path);
  }

  private static final StructType DATA =
      new StructType()
          .add("rows", DataTypes.IntegerType, false)
          .add("cols", DataTypes.IntegerType, false)
          .add("topology", DataTypes.StringType, false)
          .add("dim", DataTypes.IntegerType, false)
          .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("hits", DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add("quantization_error", DataTypes.DoubleType, false)
          .add("topographic_error", DataTypes.DoubleType, false)
          .add("u_matrix", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("quantization_errors", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("seconds", DataTypes.DoubleType, false);

  private static final class Writer extends MLWriter {
    private final SelfOrganizingMapModel model;

    Writer(SelfOrganizingMapModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
      Codebook codebook = model.codebook;
      SomGrid grid = codebook.grid();
      Summary summary = model.summary;
      Row row =
          RowFactory.create(
              grid.rows(), grid.cols(), grid.topology().name().toLowerCase(Locale.ROOT),
              codebook.dim(), codebook.weights(), summary.hits(), summary.quantizationError(),
              summary.topographicError(), summary.uMatrix(), summary.quantizationErrors(),
              summary.seconds());
      sparkSession().createDataFrame(List.of(row), DATA).repartition(1).write().parquet(path + "/data");
    }
  }

  private static final class Reader extends MLReader<SelfOrganizingMapModel> {
    @Override
    public SelfOrganizingMapModel load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), SelfOrganizingMapModel.class.getName());
      Row data = sparkSession().read().parquet(path + "/data").first();
      SomGrid grid =
          new SomGrid(
              data.getInt(0), data.getInt(1),
              SomGrid.Topology.valueOf(data.getString(2).toUpperCase(Locale.ROOT)));
      Codebook codebook = new Codebook(grid, data.getInt(3), doubles(data.getList(4)));
      Summary summary =
          new Summary(
              data.<Long>getList(5).stream().mapToLong(Long::longValue).toArray(),
              data.getDouble(6),
              data.getDouble(7),
              doubles(data.getList(8)),
              doubles(data.getList(9)),
              data.getDouble(10));
      SelfOrganizingMapModel model = new SelfOrganizingMapModel(metadata.uid(), codebook, summary);
      metadata.getAndSetParams(model, scala.Option.empty());
      return model;
    }

    private static double[] doubles(List<Double> values) {
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
