package dev.lifecycle.bench;

import dev.lifecycle.jobs.cli.SparkProvider;
import dev.lifecycle.spark.ml.SelfOrganizingMap;
import dev.lifecycle.spark.ml.SelfOrganizingMapModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Our SOM against MLlib's k-means on the same cached points: the SOM trains ROWS x COLS nodes for
 * ITERATIONS batch iterations (rectangular, gaussian, PCA start, radius from half the longer side
 * to SIGMA_END), and k-means runs with k = the number of nodes for the same number of iterations (random
 * start, tolerance 0, so it does not stop early). After one untimed round of each, prints the
 * median fit times of REPETITIONS rounds, the time per iteration of each, their ratio, and the
 * SOM's quantization and topographic error.
 *
 * <p>Arguments: CSV (header f0,f1,f2..., standardized) [ROWS 10] [COLS 10] [ITERATIONS 20]
 * [REPETITIONS 3] [PARTITIONS 4] [SIGMA_END 1].
 */
public final class SomBenchmark {
  private SomBenchmark() {}

  public static void main(String[] args) {
    String csv = args[0];
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int cols = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int repetitions = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    int partitions = args.length > 5 ? Integer.parseInt(args[5]) : 4;
    double sigmaEnd = args.length > 6 ? Double.parseDouble(args[6]) : 1;
    SparkSession spark = SparkProvider.standard().open(null, Map.of(), "lifecycle bench som");
    Dataset<Row> raw = spark.read().option("header", true).option("inferSchema", true).csv(csv);
    Dataset<Row> points =
        new VectorAssembler().setInputCols(raw.columns()).setOutputCol("features").transform(raw)
            .select("features")
            .repartition(partitions)
            .persist(StorageLevel.MEMORY_ONLY());
    long n = points.count();
    SelfOrganizingMap som =
        new SelfOrganizingMap()
            .setGrid(rows, cols)
            .setMaxIter(iterations)
            .setTopology("rectangular")
            .setSigma(Math.max(rows, cols) / 2.0, sigmaEnd);
    KMeans kmeans =
        new KMeans().setK(rows * cols).setMaxIter(iterations).setTol(0).setInitMode("random").setSeed(1);

    som.fit(points);
    kmeans.fit(points);
    List<Double> somSeconds = new ArrayList<>();
    List<Double> kmeansPerIteration = new ArrayList<>();
    SelfOrganizingMapModel model = null;
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      model = som.fit(points);
      somSeconds.add(Timings.secondsSince(start));
      start = System.nanoTime();
      KMeansModel fitted = kmeans.fit(points);
      double seconds = Timings.secondsSince(start);
      kmeansPerIteration.add(seconds / fitted.summary().numIter());
      System.out.printf(
          "repetition %d: SOM %.2f s (%d iterations), k-means %.2f s (%d iterations)%n",
          i + 1, somSeconds.get(i), iterations, seconds, fitted.summary().numIter());
    }
    double som1 = Timings.median(somSeconds) / iterations;
    double km1 = Timings.median(kmeansPerIteration);
    System.out.printf(
        "%,d points x %d features, %dx%d grid, %d iterations, radius %.2f to %.2f, %d partitions%n",
        n, raw.columns().length, rows, cols, iterations, Math.max(rows, cols) / 2.0, sigmaEnd, partitions);
    System.out.printf(
        "SOM: median fit %.2f s, %.3f s per iteration (the fit's start and final passes included);"
            + " QE %.4f, TE %.4f%n",
        Timings.median(somSeconds), som1, model.summary().quantizationError(), model.summary().topographicError());
    System.out.printf("k-means (k = %d): median %.3f s per iteration%n", rows * cols, km1);
    System.out.printf("ratio SOM / k-means per iteration: %.2f%n", som1 / km1);
    spark.stop();
  }
}
