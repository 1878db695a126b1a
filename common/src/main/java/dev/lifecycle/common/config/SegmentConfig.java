package dev.lifecycle.common.config;

import dev.lifecycle.common.som.Neighbourhood;
import dev.lifecycle.common.som.SomGrid;
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
    int somMaxNodes,
    SomGrid.Topology topology,
    Neighbourhood neighbourhood,
    int somIterations,
    SomInit somInit,
    Optional<String> modelIn,
    Optional<String> modelOut) {

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
    int[] k = kRange(settings);
    int[] grid = grid(settings);
    return new SegmentConfig(
        features(settings),
        k[0],
        k[1],
        settings.integer(ConfigKey.SEGMENT_SAMPLE_SIZE, 100),
        settings.integer(ConfigKey.SEGMENT_SEED, 0),
        grid[0],
        grid[1],
        settings.integer(ConfigKey.SEGMENT_SOM_MAX_NODES, 4),
        settings.choice(ConfigKey.SEGMENT_SOM_TOPOLOGY, SomGrid.Topology.class),
        settings.choice(ConfigKey.SEGMENT_SOM_NEIGHBOURHOOD, Neighbourhood.class),
        settings.integer(ConfigKey.SEGMENT_SOM_ITERATIONS, 1),
        settings.choice(ConfigKey.SEGMENT_SOM_INIT, SomInit.class),
        settings.optional(ConfigKey.SEGMENT_MODEL_IN),
        settings.optional(ConfigKey.SEGMENT_MODEL_OUT));
  }

  private static List<Feature> features(Settings settings) {
    List<Feature> features = new ArrayList<>();
    for (String name : settings.required(ConfigKey.SEGMENT_FEATURES).split(",")) {
      String trimmed = name.trim().toUpperCase(Locale.ROOT);
      try {
        Feature feature = Feature.valueOf(trimmed);
        if (features.contains(feature)) {
          throw settings.invalid(ConfigKey.SEGMENT_FEATURES, "'" + name.trim() + "' is listed twice");
        }
        features.add(feature);
      } catch (IllegalArgumentException e) {
        throw settings.invalid(
            ConfigKey.SEGMENT_FEATURES,
            "unknown feature '" + name.trim() + "'; expected recency, frequency, monetary, tenure, aov, trend");
      }
    }
    if (features.size() < 2) {
      throw settings.invalid(ConfigKey.SEGMENT_FEATURES, "needs at least two features");
    }
    return List.copyOf(features);
  }

  /** "5" or "4..10", with 2 <= min <= max. */
  private static int[] kRange(Settings settings) {
    String value = settings.required(ConfigKey.SEGMENT_K).trim();
    String[] parts = value.split("\\.\\.", -1);
    try {
      int min = Integer.parseInt(parts[0].trim());
      int max = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : min;
      if (parts.length > 2 || min < 2 || max < min) {
        throw new NumberFormatException();
      }
      return new int[] {min, max};
    } catch (NumberFormatException e) {
      throw settings.invalid(ConfigKey.SEGMENT_K, "expected a number of segments like 5, or a range like 4..10, each at least 2");
    }
  }

  /** "auto" or ROWSxCOLS. */
  private static int[] grid(Settings settings) {
    String value = settings.required(ConfigKey.SEGMENT_SOM_GRID).trim().toLowerCase(Locale.ROOT);
    if (value.equals("auto")) {
      return new int[] {0, 0};
    }
    String[] parts = value.split("x", -1);
    try {
      int rows = Integer.parseInt(parts[0].trim());
      int cols = Integer.parseInt(parts[1].trim());
      if (parts.length != 2 || rows < 1 || cols < 1 || rows * cols < 2) {
        throw new NumberFormatException();
      }
      return new int[] {rows, cols};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw settings.invalid(ConfigKey.SEGMENT_SOM_GRID, "expected auto or ROWSxCOLS like 10x10");
    }
  }
}
