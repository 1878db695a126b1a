package dev.lifecycle.jobs.sample;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Generates one customer's history from the planted segments: acquisition uniform over the
 * window, first purchase at acquisition, then BG/NBD repeat purchases until dropout or the end, each with
 * a Gamma-Gamma amount. A customer depends only on the seed and its index, never on how the
 * customers are split across partitions.
 */
public final class SyntheticCustomers implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double SECONDS_PER_WEEK = 7 * 86_400.0;

  private final long seed;
  private final List<PlantedSegment> segments;
  private final long startEpochSecond;
  private final long endEpochSecond;

  /** A customer's true parameters and generated transactions. */
  public record Customer(
      long id,
      PlantedSegment segment,
      double lambda,
      double dropout,
      double nu,
      long acquiredEpochSecond,
      boolean droppedOut,
      List<Purchase> purchases) {}

  /** One transaction: its time in epoch seconds and its amount, rounded to cents. */
  public record Purchase(long epochSecond, double amount) {}

  public SyntheticCustomers(long seed, List<PlantedSegment> segments, LocalDate start, LocalDate end) {
    this.seed = seed;
    this.segments = List.copyOf(segments);
    this.startEpochSecond = start.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    this.endEpochSecond = end.plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
  }

  /** Customer ids are index + 1. */
  public Customer customer(long index) {
    RandomGenerator rng = new JDKRandomGenerator();
    rng.setSeed(mix(seed * 0x9E3779B97F4A7C15L + index));
    PlantedSegment segment = pickSegment(rng.nextDouble());
    double lambda = new GammaDistribution(rng, segment.r(), 1 / segment.alpha()).sample();
    double dropout = new BetaDistribution(rng, segment.a(), segment.b()).sample();
    double nu = new GammaDistribution(rng, segment.q(), 1 / segment.gamma()).sample();
    GammaDistribution spend = new GammaDistribution(rng, segment.p(), 1 / nu);

    long acquired =
        startEpochSecond + (long) (rng.nextDouble() * (endEpochSecond - startEpochSecond));
    List<Purchase> purchases = new ArrayList<>();
    double t = acquired;
    boolean droppedOut = false;
    while (t < endEpochSecond) {
      purchases.add(new Purchase((long) t, Math.max(0.01, Math.round(spend.sample() * 100) / 100.0)));
      // BG/NBD: a customer may drop out after each repeat purchase, never after the first.
      if (purchases.size() > 1 && rng.nextDouble() < dropout) {
        droppedOut = true;
        break;
      }
      t += -Math.log(1 - rng.nextDouble()) / lambda * SECONDS_PER_WEEK;
    }
    return new Customer(index + 1, segment, lambda, dropout, nu, acquired, droppedOut, purchases);
  }

  private PlantedSegment pickSegment(double u) {
    double total = segments.stream().mapToDouble(PlantedSegment::weight).sum();
    double cumulative = 0;
    for (PlantedSegment segment : segments) {
      cumulative += segment.weight() / total;
      if (u < cumulative) {
        return segment;
      }
    }
    return segments.get(segments.size() - 1);
  }

  /** SplitMix64's finalizer: neighbouring indices get unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
