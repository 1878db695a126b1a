package dev.lifecycle.core.config;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Churn propensity: whether {@code run} scores it, the horizon a churner buys nothing in, the
 * perceptron's hidden layers and iterations, the share of customers held out to compare the
 * models, the most customers a model is trained on, the seed, and the saved model to write or to
 * score with.
 */
public record PropensityConfig(
    boolean enabled,
    int horizonDays,
    int[] hiddenLayers,
    int maxIterations,
    double holdoutShare,
    int trainingSample,
    long seed,
    Optional<String> modelIn,
    Optional<String> modelOut) {

  /** The cut the models learn at: the horizon before the snapshot; none when a saved model scores. */
  public Optional<LocalDate> cut(LocalDate snapshot) {
    return modelIn.isPresent() ? Optional.empty() : Optional.of(snapshot.minusDays(horizonDays));
  }

  static PropensityConfig from(Settings settings) {
    double holdout = settings.fraction(ConfigKey.PROPENSITY_HOLDOUT_SHARE);
    if (holdout <= 0 || holdout >= 1) {
      throw settings.invalid(ConfigKey.PROPENSITY_HOLDOUT_SHARE, "expected a share between 0 and 1, both excluded");
    }
    return new PropensityConfig(
        settings.bool(ConfigKey.PROPENSITY_ENABLED),
        settings.integer(ConfigKey.PROPENSITY_HORIZON_DAYS, 1),
        hiddenLayers(settings, ConfigKey.PROPENSITY_HIDDEN_LAYERS),
        settings.integer(ConfigKey.PROPENSITY_MAX_ITERATIONS, 1),
        holdout,
        settings.integer(ConfigKey.PROPENSITY_TRAINING_SAMPLE, 100),
        settings.whole(ConfigKey.PROPENSITY_SEED, 0),
        settings.optional(ConfigKey.PROPENSITY_MODEL_IN),
        settings.optional(ConfigKey.PROPENSITY_MODEL_OUT));
  }

  /** A perceptron's hidden layers: units per layer, comma-separated, each 1 to 1000. */
  static int[] hiddenLayers(Settings settings, ConfigKey key) {
    List<Integer> layers = new ArrayList<>();
    for (String item : settings.required(key).split(",")) {
      try {
        int units = Integer.parseInt(item.trim());
        if (units >= 1 && units <= 1000) {
          layers.add(units);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw settings.invalid(
          key,
          "expected a list of positive whole numbers (units per hidden layer, at most 1000), e.g. 8 or 16,8; '"
              + item.trim() + "' is not one");
    }
    return layers.stream().mapToInt(Integer::intValue).toArray();
  }
}
