package dev.lifecycle.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A tuning sweep ({@code lifecycle tune}): every combination of the listed k ranges, SOM grids and
 * feature sets is one run, fitted once per seed. Each list defaults to the one value of its
 * {@code segment.*} key, so a sweep names only what it varies.
 */
public record TuneConfig(List<Run> runs, List<Long> seeds) {
  /** One combination: the values as written, and the segmentation they give (seed aside). */
  public record Run(String k, String grid, String features, SegmentConfig segment) {}

  static TuneConfig from(Settings settings) {
    List<String> ks = list(settings, ConfigKey.TUNE_K, ConfigKey.SEGMENT_K);
    List<String> grids = list(settings, ConfigKey.TUNE_SOM_GRID, ConfigKey.SEGMENT_SOM_GRID);
    List<String> featureSets = list(settings, ConfigKey.TUNE_FEATURES, ConfigKey.SEGMENT_FEATURES);
    List<Run> runs = new ArrayList<>();
    for (String k : ks) {
      int[] range = SegmentConfig.kRange(settings, k, key(settings, ConfigKey.TUNE_K, ConfigKey.SEGMENT_K));
      for (String grid : grids) {
        int[] size = SegmentConfig.grid(settings, grid, key(settings, ConfigKey.TUNE_SOM_GRID, ConfigKey.SEGMENT_SOM_GRID));
        for (String features : featureSets) {
          List<SegmentConfig.Feature> chosen =
              SegmentConfig.features(settings, features, key(settings, ConfigKey.TUNE_FEATURES, ConfigKey.SEGMENT_FEATURES));
          runs.add(new Run(k.trim(), grid.trim(), features.trim(), SegmentConfig.from(settings, range, size, chosen)));
        }
      }
    }
    List<Long> seeds = new ArrayList<>();
    for (String seed : settings.required(ConfigKey.TUNE_SEEDS).split(",")) {
      try {
        long value = Long.parseLong(seed.trim());
        if (seeds.contains(value)) {
          throw settings.invalid(ConfigKey.TUNE_SEEDS, "seed " + value + " is listed twice");
        }
        seeds.add(value);
      } catch (NumberFormatException e) {
        throw settings.invalid(ConfigKey.TUNE_SEEDS, "expected whole numbers separated by commas, like 1,2,3");
      }
    }
    return new TuneConfig(List.copyOf(runs), List.copyOf(seeds));
  }

  /** The ";"-separated values of {@code key}, or the one value of {@code fallback} when unset. */
  private static List<String> list(Settings settings, ConfigKey key, ConfigKey fallback) {
    // -1: an empty entry ("4..6;" or ";") stays, so it is refused as a value, never silently dropped.
    return settings.optional(key).map(value -> List.of(value.split(";", -1))).orElseGet(() -> List.of(settings.required(fallback)));
  }

  /** The key a list's values came from, for its error messages. */
  private static ConfigKey key(Settings settings, ConfigKey key, ConfigKey fallback) {
    return settings.optional(key).isPresent() ? key : fallback;
  }
}
