package dev.lifecycle.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Wall-clock helpers shared by the benchmarks. */
final class Timings {
  private Timings() {}

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The median; of an even count, the mean of the middle two. */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
