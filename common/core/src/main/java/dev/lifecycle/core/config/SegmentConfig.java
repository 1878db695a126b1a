package dev.lifecycle.core.config;

import dev.lifecycle.core.som.Neighbourhood;
import dev.lifecycle.core.som.SomGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Segmentation: the features (each log1p-transformed, then all standardized), the k of k-means and
 * of the SOM's second level (fixed, or chosen by silhouette in a range on a seeded sample), the
 * seed, the SOM, and the saved model to write or to score with.
 */
public record SegmentConfig(
    List<Feature> features,
    int kMin,
    int kMax,
    int sampleSize,
    long seed,
    int somRows,
    int somCols,
    boolean somForceGrid,
    int somMaxNodes,
    SomGrid.Topology topology,
    Neighbourhood neighbourhood,
    int somIterations,
    SomInit somInit,
    Optional<String> modelIn,
    Optional<String> modelOut,
    boolean stableIds,
    double stableIdsMaxDistance) {
  /**
   * The most nodes a SOM grid may have, given or automatic: a 100x100 map. Each node is a
   * codebook row held on the driver and searched for every customer in every iteration.
   */
  public static final int MAX_SOM_NODES = 10_000;


  /** A segmentation feature and the customer_features column it comes from. */
  public enum Feature {
    RECENCY("recency_days"),
    FREQUENCY("frequency"),
    MONETARY("monetary_total"),
    TENURE("tenure_days"),
    AOV("monetary_avg"),
    /** log1p of the last window's spend minus log1p of the one before (not log-transformed again). */
    TREND("window_spend");

    private final String column;

    Feature(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the SOM's codebook starts. */
  public enum SomInit {
    PCA,
    RANDOM
  }

  static SegmentConfig from(Settings settings) {
    return from(
        settings,
        kRange(settings, settings.required(ConfigKey.SEGMENT_K), ConfigKey.SEGMENT_K),
        grid(settings, settings.required(ConfigKey.SEGMENT_SOM_GRID), ConfigKey.SEGMENT_SOM_GRID),
        features(settings, settings.required(ConfigKey.SEGMENT_FEATURES), ConfigKey.SEGMENT_FEATURES));
  }

  /** The segmentation of {@code settings} with this k (min, max), SOM grid (0 x 0: auto) and features. */
  static SegmentConfig from(Settings settings, int[] k, int[] grid, List<Feature> features) {
    return new SegmentConfig(
        features,
        k[0],
        k[1],
        settings.integer(ConfigKey.SEGMENT_SAMPLE_SIZE, 100),
        settings.integer(ConfigKey.SEGMENT_SEED, 0),
        grid[0],
        grid[1],
        settings.bool(ConfigKey.SEGMENT_SOM_FORCE_GRID),
        settings.integer(ConfigKey.SEGMENT_SOM_MAX_NODES, 4, MAX_SOM_NODES),
        settings.choice(ConfigKey.SEGMENT_SOM_TOPOLOGY, SomGrid.Topology.class),
        settings.choice(ConfigKey.SEGMENT_SOM_NEIGHBOURHOOD, Neighbourhood.class),
        settings.integer(ConfigKey.SEGMENT_SOM_ITERATIONS, 1),
        settings.choice(ConfigKey.SEGMENT_SOM_INIT, SomInit.class),
        settings.optional(ConfigKey.SEGMENT_MODEL_IN),
        settings.optional(ConfigKey.SEGMENT_MODEL_OUT),
        settings.bool(ConfigKey.SEGMENT_STABLE_IDS),
        settings.optional(ConfigKey.SEGMENT_STABLE_IDS_MAX_DISTANCE).isPresent()
            ? settings.nonNegative(ConfigKey.SEGMENT_STABLE_IDS_MAX_DISTANCE)
            : Double.POSITIVE_INFINITY);
  }

  /** The same segmentation with another seed. */
  public SegmentConfig withSeed(long value) {
    return new SegmentConfig(
        features, kMin, kMax, sampleSize, value, somRows, somCols, somForceGrid, somMaxNodes, topology, neighbourhood, somIterations,
        somInit, modelIn, modelOut, stableIds, stableIdsMaxDistance);
  }

  /** "recency,frequency,..." as the value of {@code key}. */
  static List<Feature> features(Settings settings, String value, ConfigKey key) {
    List<Feature> features = new ArrayList<>();
    for (String name : value.split(",")) {
      String trimmed = name.trim().toUpperCase(Locale.ROOT);
      try {
        Feature feature = Feature.valueOf(trimmed);
        if (features.contains(feature)) {
          throw settings.invalid(key, "'" + name.trim() + "' is listed twice");
        }
        features.add(feature);
      } catch (IllegalArgumentException e) {
        throw settings.invalid(
            key, "unknown feature '" + name.trim() + "'; expected recency, frequency, monetary, tenure, aov, trend");
      }
    }
    if (features.size() < 2) {
      throw settings.invalid(key, "needs at least two features");
    }
    return List.copyOf(features);
  }

  /** "5" or "4..10", with 2 <= min <= max. */
  static int[] kRange(Settings settings, String value, ConfigKey key) {
    String[] parts = value.trim().split("\\.\\.", -1);
    try {
      int min = Integer.parseInt(parts[0].trim());
      int max = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : min;
      if (parts.length > 2 || min < 2 || max < min) {
        throw new NumberFormatException();
      }
      return new int[] {min, max};
    } catch (NumberFormatException e) {
      throw settings.invalid(key, "expected a number of segments like 5, or a range like 4..10, each at least 2");
    }
  }

  /** "auto" or ROWSxCOLS, at most {@link #MAX_SOM_NODES} nodes. */
  static int[] grid(Settings settings, String raw, ConfigKey key) {
    String value = raw.trim().toLowerCase(Locale.ROOT);
    if (value.equals("auto")) {
      return new int[] {0, 0};
    }
    String[] parts = value.split("x", -1);
    try {
      int rows = Integer.parseInt(parts[0].trim());
      int cols = Integer.parseInt(parts[1].trim());
      if (parts.length != 2 || rows < 1 || cols < 1 || (long) rows * cols < 2) {
        throw new NumberFormatException();
      }
      if ((long) rows * cols > MAX_SOM_NODES) {
        throw settings.invalid(
            key, String.format(Locale.ROOT, "%,d nodes; a SOM grid has at most %,d (100x100)", (long) rows * cols, MAX_SOM_NODES));
      }
      return new int[] {rows, cols};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw settings.invalid(key, "expected auto or ROWSxCOLS like 10x10");
    }
  }
}
