package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.config.SegmentConfig;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.jobs.run.RunContext;
import dev.lifecycle.jobs.score.ScoreJob;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code report}: one self-contained HTML file per run, under {@code <warehouse>/reports/<snapshot>/
 * <run_id>.html}, drawn from the snapshot's tables and run manifests: data quality, RFM, the
 * segments of both methods and the SOM's maps, the silhouette curves, cohort activity and
 * retention, CLV and P(alive), lifecycle stages and value quadrants. Charts are inline SVG; a
 * section whose stage has not run for the snapshot says so instead.
 */
public final class ReportJob {
  public static final String STAGE = "report";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Cohorts drawn in the retention small multiples, the largest first. */
  private static final int RETENTION_COHORTS = 6;

  private ReportJob() {}

  /** Writes the report; returns the number of charts in it. Its URI goes to {@code context.report}. */
  public static long run(RunContext context) {
    return context.stage(STAGE, "charts", () -> report(context));
  }

  private static long report(RunContext context) {
    LocalDate snapshot = ScoreJob.snapshot(context);
    Warehouse warehouse = context.warehouse();
    ReportPage page =
        new ReportPage("Customer lifecycle report, snapshot " + snapshot, "Run " + context.runId() + " of "
            + context.command() + ", warehouse " + warehouse.uri());
    Manifests manifests = Manifests.of(context, snapshot);
    dataQuality(page, manifests);
    Optional<Dataset<Row>> features = read(warehouse, Tables.CUSTOMER_FEATURES, snapshot);
    section(page, "RFM", features, "features", f -> rfm(page, f));
    Optional<Dataset<Row>> profiles = read(warehouse, Tables.SEGMENT_PROFILES, snapshot);
    section(page, "Segments", profiles, "segment", p -> segments(page, p, manifests));
    read(warehouse, Tables.TUNING_RUNS, snapshot)
        .ifPresent(runs -> tuning(page, runs.orderBy("run").collectAsList(), runs.schema()));
    Optional<Dataset<Row>> codebook = read(warehouse, Tables.SOM_CODEBOOK, snapshot);
    section(page, "Self-organizing map", codebook, "segment", c -> som(page, c, manifests, context.config().segment()));
    Optional<Dataset<Row>> activity = read(warehouse, Tables.COHORT_ACTIVITY, snapshot);
    section(page, "Cohorts and retention", activity, "retention", a -> cohorts(page, a));
    read(warehouse, Tables.RETENTION_CURVES, snapshot)
        .ifPresent(curves -> retention(page, curves, read(warehouse, Tables.RETENTION_MODELS, snapshot)));
    Optional<Dataset<Row>> scores = read(warehouse, Tables.CUSTOMER_SCORES, snapshot);
    section(page, "Customer value", scores, "score", s -> value(page, s, features));
    String uri = warehouse.writeText("reports/" + snapshot + "/" + context.runId() + ".html", page.html());
    context.report(uri);
    return page.charts();
  }

  /**
   * The comparison page of a tuning sweep, {@code reports/<snapshot>/tuning-<run_id>.html}: its
   * runs (rows of {@code tuning_runs}) side by side. Its URI goes to {@code context.report}.
   */
  public static void tuningPage(RunContext context, LocalDate snapshot, List<Row> runs, StructType schema) {
    ReportPage page =
        new ReportPage(
            "Tuning runs, snapshot " + snapshot, "Run " + context.runId() + " of tune, warehouse " + context.warehouse().uri());
    tuning(page, runs, schema);
    context.report(context.warehouse().writeText("reports/" + snapshot + "/tuning-" + context.runId() + ".html", page.html()));
  }

  /** The runs of a sweep: a table of every column, and a chart per measure, run by run. */
  private static void tuning(ReportPage page, List<Row> runs, StructType schema) {
    page.section("Tuning runs");
    List<List<String>> cells = new ArrayList<>();
    for (Row run : runs) {
      List<String> row = new ArrayList<>();
      for (int c = 0; c < schema.size(); c++) {
        Object v = run.get(c);
        row.add(v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v.toString());
      }
      cells.add(row);
    }
    page.table("tuning-runs", List.of(schema.fieldNames()), cells);
    // "2: k 4..10, 12x12, rec+fre+mon": the run, and its features by their first letters.
    List<String> labels =
        runs.stream()
            .map(
                r ->
                    r.getInt(schema.fieldIndex("run")) + ": k " + r.getString(schema.fieldIndex("k")) + ", "
                        + r.getString(schema.fieldIndex("som_grid_used")) + ", "
                        + Arrays.stream(r.getString(schema.fieldIndex("features")).split(","))
                            .map(f -> f.trim().substring(0, Math.min(3, f.trim().length())))
                            .collect(Collectors.joining("+")))
            .toList();
    String[][] measures = {
      {"kmeans_silhouette", "k-means silhouette at the chosen k (mean over seeds)"},
      {"som_silhouette", "SOM prototypes' silhouette at the chosen k"},
      {"som_quantization_error", "SOM quantization error (lower is tighter)"},
      {"som_topographic_error", "SOM topographic error (lower is more faithful)"},
      {"kmeans_stability", "k-means stability across seeds (adjusted Rand index)"},
      {"som_stability", "SOM segments' stability across seeds (adjusted Rand index)"},
      {"seconds", "Seconds for all seeds of the run"}
    };
    for (String[] measure : measures) {
      int column = schema.fieldIndex(measure[0]);
      List<Integer> known = IntStream.range(0, runs.size()).filter(i -> !runs.get(i).isNullAt(column)).boxed().toList();
      if (known.isEmpty()) {
        page.note(measure[1] + ": not available (k fixed, or a single seed).");
        continue;
      }
      page.chart(
          "tuning-" + measure[0].replace('_', '-'), measure[1],
          Svg.bars(known.stream().map(labels::get).toList(), known.stream().mapToDouble(i -> runs.get(i).getDouble(column)).toArray(), "%.4f"),
          known.size() < runs.size() ? "Runs with k fixed (or one seed) have none and are left out." : null);
    }
  }


  private static Optional<Dataset<Row>> read(Warehouse warehouse, String table, LocalDate snapshot) {
    return warehouse.hasPartition(table, snapshot) ? Optional.of(warehouse.readPartition(table, snapshot)) : Optional.empty();
  }

  private static void section(
      ReportPage page, String title, Optional<Dataset<Row>> table, String stage, Consumer<Dataset<Row>> draw) {
    page.section(title);
    if (table.isPresent()) {
      draw.accept(table.get());
    } else {
      page.note("Not available: stage " + stage + " has not run for this snapshot.");
    }
  }

  private static void dataQuality(ReportPage page, Manifests manifests) {
    page.section("Data quality");
    Map<String, Long> counts = manifests.counts();
    if (!counts.containsKey("rows_in")) {
      page.note("Not available: no run of this snapshot recorded ingest counts.");
      return;
    }
    List<String> labels = new ArrayList<>(List.of("rows in", "clean", "rejected", "excluded"));
    List<Double> values =
        new ArrayList<>(List.of((double) counts.get("rows_in"), (double) counts.getOrDefault("rows_clean", 0L),
            (double) counts.getOrDefault("rows_rejected", 0L), (double) counts.getOrDefault("rows_excluded", 0L)));
    counts.forEach(
        (name, value) -> {
          if (name.startsWith("rejected_") || name.startsWith("excluded_")) {
            labels.add(name.replace('_', ' '));
            values.add((double) value);
          }
        });
    page.chart(
        "data-quality", "Rows in, clean, rejected and excluded, by reason", Svg.bars(labels, doubles(values), "%,.0f"),
        "Rejected rows are in transactions_rejected with their reason; input rows = clean + rejected + excluded.");
  }

  private static void rfm(ReportPage page, Dataset<Row> features) {
    histogram(page, "rfm-recency", "Recency", features, col(Columns.RECENCY_DAYS), false, "days since the last purchase");
    histogram(page, "rfm-frequency", "Frequency", features, col(Columns.FREQUENCY), true, "orders (log scale bins)");
    histogram(page, "rfm-monetary", "Monetary", features, col(Columns.MONETARY_TOTAL), true, "total spend (log scale bins)");
    List<Row> cells = features.groupBy("r_score", "f_score", "rfm_segment").agg(count(lit(1)).as("n")).collectAsList();
    double[][] customers = new double[5][5];
    String[][] names = new String[5][5];
    long[][] most = new long[5][5];
    for (double[] row : customers) {
      Arrays.fill(row, Double.NaN);
    }
    for (Row cell : cells) {
      int r = cell.getInt(0) - 1;
      int f = 5 - cell.getInt(1);
      long n = cell.getLong(3);
      customers[f][r] = (Double.isNaN(customers[f][r]) ? 0 : customers[f][r]) + n;
      if (n > most[f][r]) {
        most[f][r] = n;
        names[f][r] = cell.getString(2) + " (" + n + ")";
      }
    }
    page.chart(
        "rfm-segment-map", "RFM segment map: customers by recency and frequency score",
        Svg.heatmap(List.of("F 5", "F 4", "F 3", "F 2", "F 1"), List.of("R 1", "R 2", "R 3", "R 4", "R 5"), customers,
            names, "%,.0f", "recency score (5 = most recent)", "frequency score", 130),
        "Each cell is coloured by its customers and named by its most common segment (features.rfm-segments).");
  }

  /** A histogram of a numeric column, in 20 linear bins or in quarter-decade bins of log10(1 + x). */
  private static void histogram(
      ReportPage page, String id, String title, Dataset<Row> table, Column value, boolean log, String axis) {
    Dataset<Row> values = table.select(value.cast("double").as("v")).where(col("v").isNotNull());
    double min = 0;
    double max = 0;
    if (!log) {
      Row range = values.agg(min("v"), max("v")).first();
      if (range.isNullAt(0)) {
        page.note(title + ": no values.");
        return;
      }
      min = range.getDouble(0);
      max = range.getDouble(1);
    }
    Column bin =
        log
            ? floor(log10(when(col("v").gt(0), col("v")).otherwise(0).plus(1)).multiply(4))
            : least(floor(col("v").minus(min).divide(Math.max((max - min) / 20, 1e-12))), lit(19));
    TreeMap<Long, Long> counts = new TreeMap<>();
    for (Row row : values.groupBy(bin.cast("long").as("bin")).agg(count(lit(1))).collectAsList()) {
      counts.put(row.getLong(0), row.getLong(1));
    }
    if (counts.isEmpty()) {
      page.note(title + ": no values.");
      return;
    }
    long first = log ? counts.firstKey() : 0;
    long last = log ? counts.lastKey() : 19;
    List<String> labels = new ArrayList<>();
    double[] heights = new double[(int) (last - first + 1)];
    for (long b = first; b <= last; b++) {
      heights[(int) (b - first)] = counts.getOrDefault(b, 0L);
      double from = log ? Math.pow(10, b / 4.0) - 1 : min + b * (max - min) / 20;
      labels.add(Svg.number(Math.rint(from)));
    }
    page.chart(id, title + " distribution", Svg.columns(labels, heights, axis, "customers"), null);
  }

  private static void segments(ReportPage page, Dataset<Row> profiles, Manifests manifests) {
    List<Row> rows = profiles.orderBy(Columns.METHOD, Columns.SEGMENT).collectAsList();
    page.table(
        "segment-profiles",
        List.of("method", "segment", "customers", "revenue share", "mean R", "median R", "mean F", "median F", "mean M", "median M", "label"),
        rows.stream()
            .map(
                r ->
                    List.of(
                        r.getString(0), Integer.toString(r.getInt(1)), String.format(Locale.ROOT, "%,d", r.getLong(2)),
                        String.format(Locale.ROOT, "%.1f%%", 100 * r.getDouble(3)), Svg.number(r.getDouble(4)),
                        Svg.number(r.getDouble(5)), Svg.number(r.getDouble(6)), Svg.number(r.getDouble(7)),
                        Svg.number(r.getDouble(8)), Svg.number(r.getDouble(9)), r.getString(10)))
            .toList());
    for (String method : List.of("kmeans", "som")) {
      List<String> labels = new ArrayList<>();
      List<Double> shares = new ArrayList<>();
      for (Row r : rows) {
        if (r.getString(0).equals(method)) {
          labels.add(r.getInt(1) + ": " + r.getString(10));
          shares.add(100 * r.getDouble(3));
        }
      }
      page.chart(
          "profiles-" + method, (method.equals("som") ? "SOM" : "k-means") + " segments: share of revenue (%)",
          Svg.bars(labels, doubles(shares), "%.1f"), null);
    }
    List<Svg.Series> curves = new ArrayList<>();
    for (String method : List.of("kmeans", "som")) {
      Map<String, Object> curve = manifests.metric(method + "_silhouette");
      if (curve != null) {
        double[] k = curve.keySet().stream().mapToDouble(Double::parseDouble).toArray();
        double[] score = curve.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        curves.add(new Svg.Series(method.equals("som") ? "SOM prototypes" : "k-means", k, score, Svg.PALETTE[curves.size()], false, 2));
      }
    }
    if (curves.isEmpty()) {
      page.note("Silhouette curve: not available (k was fixed, or a saved model was applied).");
    } else {
      page.chart(
          "silhouette", "Silhouette by k", Svg.lines(curves, "k", "silhouette", 1, 640, 260),
          "The k with the highest silhouette is chosen (segment.k).");
    }
  }

  /**
   * The SOM's maps, laid out and labelled as the segmenting run recorded them (its topology and
   * features, in the manifest), else as this run's config says.
   */
  private static void som(ReportPage page, Dataset<Row> codebook, Manifests manifests, SegmentConfig config) {
    List<Row> nodes = codebook.orderBy("node").collectAsList();
    int rows = nodes.stream().mapToInt(r -> r.getInt(1)).max().orElse(0) + 1;
    int cols = nodes.stream().mapToInt(r -> r.getInt(2)).max().orElse(0) + 1;
    Object topology = manifests.metrics().get("som_topology");
    boolean hexagonal =
        topology != null ? topology.equals("hexagonal") : config.topology() == SomGrid.Topology.HEXAGONAL;
    List<String> names =
        manifests.metrics().get("segment_features") instanceof List<?> recorded
            ? recorded.stream().map(String::valueOf).toList()
            : config.features().stream().map(SegmentConfig.Feature::label).toList();
    int size = Math.max(14, Math.min(36, 360 / Math.max(cols, 1)));
    double[] heights = nodes.stream().mapToDouble(r -> r.getDouble(5)).toArray();
    double[] hits = nodes.stream().mapToDouble(r -> r.getLong(4)).toArray();
    page.chart(
        "som-umatrix", "U-matrix: mean distance of each node to its neighbours", Svg.somGrid(rows, cols, hexagonal, heights, "%.3f", size),
        "Dark ridges separate groups of similar customers.");
    page.chart("som-hits", "Hit map: customers per node", Svg.somGrid(rows, cols, hexagonal, hits, "%,.0f", size), null);
    int dim = nodes.isEmpty() ? 0 : nodes.get(0).getList(3).size();
    for (int f = 0; f < dim; f++) {
      int feature = f;
      double[] plane = nodes.stream().mapToDouble(r -> ((Number) r.getList(3).get(feature)).doubleValue()).toArray();
      String name = dim == names.size() ? names.get(f) : "feature " + (f + 1);
      page.chart(
          "som-plane-" + (f + 1), "Component plane: " + name + " (standardized)",
          Svg.somGrid(rows, cols, hexagonal, plane, "%.2f", size), null);
    }
  }

  static void cohorts(ReportPage page, Dataset<Row> activity) {
    // Per cohort segment and period; a segment has no row in a period where none of it was
    // active, so a cohort's customers are summed over its segments, not over a period's rows.
    List<Row> cells =
        activity.groupBy("cohort", "cohort_segment", "period")
            .agg(sum("customers_active").as("active"), max("cohort_customers").as("customers"))
            .collectAsList();
    Map<String, Map<String, Long>> customers = new TreeMap<>();
    Map<String, Map<Integer, Long>> active = new TreeMap<>();
    int periods = 0;
    for (Row cell : cells) {
      String cohort = cell.get(0).toString();
      customers.computeIfAbsent(cohort, c -> new TreeMap<>()).merge(cell.getString(1), cell.getLong(4), Math::max);
      active.computeIfAbsent(cohort, c -> new TreeMap<>()).merge(cell.getInt(2), cell.getLong(3), Long::sum);
      periods = Math.max(periods, cell.getInt(2) + 1);
    }
    List<String> rows = new ArrayList<>(customers.keySet());
    double[][] share = new double[rows.size()][periods];
    for (int r = 0; r < rows.size(); r++) {
      Arrays.fill(share[r], Double.NaN);
      long total = customers.get(rows.get(r)).values().stream().mapToLong(Long::longValue).sum();
      for (Map.Entry<Integer, Long> period : active.get(rows.get(r)).entrySet()) {
        share[r][period.getKey()] = total > 0 ? (double) period.getValue() / total : 0;
      }
    }
    List<String> columns = new ArrayList<>();
    for (int p = 0; p < periods; p++) {
      columns.add(Integer.toString(p));
    }
    page.chart(
        "cohort-activity", "Cohort activity: share of each cohort active, by period since acquisition",
        Svg.heatmap(rows, columns, share, null, "%.2f", "periods since acquisition", "cohort", 0), null);
  }

  private static void retention(ReportPage page, Dataset<Row> curves, Optional<Dataset<Row>> models) {
    // The largest cohorts with a selected (fitted) model, at least 4 periods observed.
    Dataset<Row> fitted =
        curves.where(col("selected").and(col("observed_survival").isNotNull()).and(col("period").geq(3)))
            .select("cohort", "cohort_segment")
            .distinct();
    Dataset<Row> drawn =
        curves.where(col("model").equalTo("kaplan_meier").and(col("period").equalTo(0)))
            .select("cohort", "cohort_segment", "customers_at_risk")
            .join(fitted, new String[] {"cohort", "cohort_segment"})
            .orderBy(col("customers_at_risk").desc(), col("cohort"), col("cohort_segment"))
            .limit(RETENTION_COHORTS);
    List<Row> largest = drawn.collectAsList();
    // Every point of the chosen cohorts in one query, split by cohort here.
    Map<List<Object>, List<Row>> byCohort = new LinkedHashMap<>();
    for (Row p :
        curves.join(drawn.select("cohort", "cohort_segment"), new String[] {"cohort", "cohort_segment"})
            .select("cohort", "cohort_segment", "model", "period", "observed_survival", "fitted_survival", "selected")
            .orderBy("cohort", "cohort_segment", "model", "period")
            .collectAsList()) {
      byCohort.computeIfAbsent(List.of(p.get(0), p.get(1)), key -> new ArrayList<>()).add(p);
    }
    List<String> panels = new ArrayList<>();
    for (Row group : largest) {
      Object cohort = group.get(0);
      String segment = group.getString(1);
      List<Row> points = byCohort.getOrDefault(List.of(cohort, segment), List.of());
      Map<String, List<double[]>> byModel = new LinkedHashMap<>();
      Map<String, Boolean> selected = new LinkedHashMap<>();
      for (Row p : points) {
        String model = p.getString(2);
        int value = model.equals("kaplan_meier") ? 4 : 5;
        byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(new double[] {p.getInt(3), p.isNullAt(value) ? Double.NaN : p.getDouble(value)});
        selected.merge(model, !p.isNullAt(6) && p.getBoolean(6), Boolean::logicalOr);
      }
      List<Svg.Series> series = new ArrayList<>();
      int color = 1;
      for (Map.Entry<String, List<double[]>> e : byModel.entrySet()) {
        boolean observed = e.getKey().equals("kaplan_meier");
        boolean chosen = selected.get(e.getKey());
        String name = observed ? "observed (KM)" : e.getKey() + (chosen ? " (selected)" : "");
        series.add(
            new Svg.Series(
                name, e.getValue().stream().mapToDouble(v -> v[0]).toArray(), e.getValue().stream().mapToDouble(v -> v[1]).toArray(),
                observed ? "#222" : Svg.PALETTE[color++ % Svg.PALETTE.length], !observed && !chosen, observed || chosen ? 2.5 : 1.2));
      }
      panels.add(
          "<div class=\"panel\"><div class=\"panel-title\">" + Svg.escape(cohort + " " + segment + ", " + group.getLong(2) + " customers")
              + "</div>" + Svg.lines(series, "period", "survival", 1, 460, 240) + "</div>");
    }
    page.chart(
        "retention-curves", "Retention: observed against fitted, the " + largest.size() + " largest cohorts", String.join("", panels),
        "Fitted models dashed; the selected model (lowest AIC) drawn solid" + (models.isPresent() ? ", as in retention_models." : "."));
  }

  private static void value(ReportPage page, Dataset<Row> scores, Optional<Dataset<Row>> features) {
    histogram(page, "clv-distribution", "CLV", scores, col(Columns.CLV), true, "CLV (log scale bins)");
    features.ifPresent(f -> pAlive(page, scores, f));
    // One aggregation for the stage, pattern and quadrant counts.
    List<Row> groups =
        scores.groupBy(Columns.LIFECYCLE_STAGE, Columns.LIFECYCLE_PATTERN, Columns.VALUE_QUADRANT, Columns.STRATEGY)
            .agg(count(lit(1)).as("n"))
            .collectAsList();
    counts(page, "lifecycle-stages", "Lifecycle stages", groups, 0, false);
    counts(page, "lifecycle-patterns", "Lifecycle patterns of lost customers", groups, 1, true);
    Map<String, long[]> byQuadrant = new TreeMap<>();
    Map<String, String> strategies = new TreeMap<>();
    for (Row g : groups) {
      if (!g.isNullAt(2)) {
        byQuadrant.computeIfAbsent(g.getString(2), q -> new long[1])[0] += g.getLong(4);
        strategies.put(g.getString(2), g.getString(3));
      }
    }
    double[][] grid = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
    String[][] text = new String[2][2];
    List<String> described = new ArrayList<>();
    byQuadrant.forEach(
        (name, n) -> {
          int row = name.endsWith("high_potential") ? 0 : 1;
          int colIndex = name.startsWith("high_current") ? 1 : 0;
          grid[row][colIndex] = n[0];
          text[row][colIndex] = String.format(Locale.ROOT, "%,d: %s", n[0], strategies.get(name));
          described.add(name.replace('_', ' ') + ": " + String.format(Locale.ROOT, "%,d", n[0]) + " customers, " + strategies.get(name));
        });
    page.chart(
        "value-quadrants", "Value quadrants: customers and strategy",
        Svg.heatmap(List.of("high potential", "low potential"), List.of("low current value", "high current value"), grid, text,
            "%,.0f", "current value", "potential (CLV)", 300),
        String.join("; ", described));
  }

  /** Mean P(alive) by repeat purchases (x) and the time of the last one (t_x), as Fader et al. plot it. */
  private static void pAlive(ReportPage page, Dataset<Row> scores, Dataset<Row> features) {
    Dataset<Row> joined =
        scores.select(Columns.CUSTOMER_ID, Columns.P_ALIVE)
            .join(features.select(Columns.CUSTOMER_ID, "btyd_x", "btyd_t_x", "btyd_T"), Columns.CUSTOMER_ID)
            .where(col(Columns.P_ALIVE).isNotNull());
    Row range = joined.agg(max("btyd_T")).first();
    if (range.isNullAt(0)) {
      page.note("P(alive): no customers.");
      return;
    }
    double horizon = Math.max(range.getDouble(0), 1e-9);
    int bins = 12;
    int most = 10;
    List<Row> cells =
        joined.groupBy(
                least(col("btyd_x"), lit(most)).as("x"),
                least(floor(col("btyd_t_x").divide(horizon / bins)), lit(bins - 1)).cast("int").as("t"))
            .agg(avg(Columns.P_ALIVE).as("p"))
            .collectAsList();
    double[][] p = new double[most + 1][bins];
    for (double[] row : p) {
      Arrays.fill(row, Double.NaN);
    }
    for (Row cell : cells) {
      p[most - (int) cell.getLong(0)][cell.getInt(1)] = cell.getDouble(2);
    }
    List<String> rows = new ArrayList<>();
    for (int x = most; x >= 0; x--) {
      rows.add(x == most ? most + "+" : Integer.toString(x));
    }
    List<String> columns = new ArrayList<>();
    for (int t = 0; t < bins; t++) {
      columns.add(Svg.number(Math.rint(t * horizon / bins * 10) / 10));
    }
    page.chart(
        "p-alive", "P(alive) by frequency and recency",
        Svg.heatmap(rows, columns, p, null, "%.2f", "t_x: time of the last repeat purchase (from the first)", "x: repeat purchases", 0),
        "Mean P(alive) of the customers in each cell; the purchase model is in clv_models.");
  }

  /** Bars of customers by column {@code column} of the groups (stage, pattern, ...; count last), largest first. */
  private static void counts(ReportPage page, String id, String title, List<Row> groups, int column, boolean lostOnly) {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (Row g : groups) {
      if (!lostOnly || "lost".equals(g.getString(0))) {
        totals.merge(g.isNullAt(column) ? "(none)" : g.getString(column), g.getLong(4), Long::sum);
      }
    }
    if (totals.isEmpty()) {
      page.note(title + ": no customers.");
      return;
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(totals.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    page.chart(
        id, title, Svg.bars(sorted.stream().map(Map.Entry::getKey).toList(), sorted.stream().mapToDouble(Map.Entry::getValue).toArray(), "%,.0f"),
        null);
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The counts and metrics of the snapshot's runs: those of this run where it has them, else of
   * the newest successful run in {@code run_manifest} that recorded them.
   */
  private record Manifests(Map<String, Long> counts, Map<String, Object> metrics) {
    @SuppressWarnings("unchecked")
    static Manifests of(RunContext context, LocalDate snapshot) {
      Map<String, Long> counts = new LinkedHashMap<>();
      Map<String, Object> metrics = new LinkedHashMap<>();
      Warehouse warehouse = context.warehouse();
      if (warehouse.hasPartition(Tables.RUN_MANIFEST, snapshot)) {
        List<Row> runs =
            warehouse.readPartition(Tables.RUN_MANIFEST, snapshot)
                .where(col("status").equalTo("succeeded"))
                .orderBy(col("finished_at"))
                .select("manifest_json")
                .collectAsList();
        for (Row run : runs) {
          try {
            Map<String, Object> doc = JSON.readValue(run.getString(0), Map.class);
            Map<String, Object> runCounts = (Map<String, Object>) doc.getOrDefault("counts", Map.of());
            if (runCounts.containsKey("rows_in")) {
              counts.clear();
              runCounts.forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
            }
            segmentMetrics(metrics, (Map<String, Object>) doc.getOrDefault("metrics", Map.of()));
          } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read a run manifest of " + snapshot + ": " + e.getMessage(), e);
          }
        }
      }
      if (context.counts().containsKey("rows_in")) {
        counts.clear();
        counts.putAll(context.counts());
      }
      segmentMetrics(metrics, context.metrics());
      return new Manifests(counts, metrics);
    }

    /** A run that segmented (fitted or applied a model) replaces what earlier runs reported. */
    private static void segmentMetrics(Map<String, Object> metrics, Map<String, Object> run) {
      if (run.containsKey("kmeans_k") || run.containsKey("segment_model")) {
        metrics.clear();
        metrics.putAll(run);
      }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> metric(String name) {
      Object value = metrics.get(name);
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      Map<String, Object> sorted = new TreeMap<>(Comparator.comparingDouble(Double::parseDouble));
      ((Map<String, Object>) map).forEach(sorted::put);
      return sorted;
    }
  }
}
