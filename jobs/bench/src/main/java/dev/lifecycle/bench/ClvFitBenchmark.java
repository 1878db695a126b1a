package dev.lifecycle.bench;

import dev.lifecycle.core.clv.BgNbd;
import dev.lifecycle.core.clv.RepeatPatterns;
import dev.lifecycle.core.mle.BoundedMle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The BG/NBD fit and scoring on their own, as the CLV stage runs them: customers compressed to
 * (x, t_x, T) patterns, {@link BgNbd#fit} on the patterns REPETITIONS times in one JVM (every run
 * timed, the first one cold), then P(alive) and the expected purchases in the next 52 weeks for
 * every customer, once. The customers come from a CSV {@code x,t_x,T} in weeks, or are simulated
 * from BG/NBD with r = 0.25, α = 4, a = 0.8, b = 2.5 and T and t_x on whole days.
 *
 * <p>Arguments: CSV [REPETITIONS (default 5)], or --generate CUSTOMERS [REPETITIONS] [SEED
 * (default 1)]. The last line, {@code summary: key=value ...}, is what scripts/bench-clv reads.
 */
public final class ClvFitBenchmark {
  private static final double[] SIMULATED = {0.25, 4, 0.8, 2.5};
  private static final int FIRST_DAY = 7;
  private static final int LAST_DAY = 546;
  private static final double HORIZON_WEEKS = 52;
  /** Simulation and scoring run in chunks of this many customers, summed in chunk order. */
  private static final int CHUNK = 1 << 20;

  private ClvFitBenchmark() {}

  /** The customers' summaries in weeks. */
  private interface Customers {
    int size();

    double x(int i);

    double tx(int i);

    double bigT(int i);
  }

  private record WeekColumns(double[] x, double[] tx, double[] bigT, int size) implements Customers {
    public double x(int i) {
      return x[i];
    }

    public double tx(int i) {
      return tx[i];
    }

    public double bigT(int i) {
      return bigT[i];
    }
  }

  /** Whole days, 4 bytes a value, so 100M customers take 1.2 GB. */
  private record DayColumns(int[] x, int[] txDays, int[] bigTDays) implements Customers {
    public int size() {
      return x.length;
    }

    public double x(int i) {
      return x[i];
    }

    public double tx(int i) {
      return txDays[i] / 7.0;
    }

    public double bigT(int i) {
      return bigTDays[i] / 7.0;
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("Argument error: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] args) {
    boolean generate = args.length > 0 && args[0].equals("--generate");
    int rest = generate ? 2 : 1;
    if (args.length < rest) {
      throw new IllegalArgumentException(
          "usage: ClvFitBenchmark CSV [REPETITIONS] | --generate CUSTOMERS [REPETITIONS] [SEED]");
    }
    int repetitions = args.length > rest ? Integer.parseInt(args[rest]) : 5;
    if (repetitions < 1) {
      throw new IllegalArgumentException("Cannot fit " + repetitions + " times: needs at least 1");
    }
    Customers customers =
        generate
            ? timed("generate", () -> simulate(Integer.parseInt(args[1]),
                args.length > 3 ? Integer.parseInt(args[3]) : 1))
            : timed("read", () -> read(Path.of(args[0])));
    long start = System.nanoTime();
    RepeatPatterns patterns = compress(customers);
    double compressSeconds = Timings.secondsSince(start);
    System.out.printf("compress: %d customers into %d patterns in %.3f s%n",
        customers.size(), patterns.size(), compressSeconds);
    List<Double> runs = new ArrayList<>();
    BoundedMle.Estimate estimate = fit(patterns, repetitions, runs);
    double[] p = estimate.parameters();
    start = System.nanoTime();
    double[] sums = score(p, customers);
    double scoreSeconds = Timings.secondsSince(start);
    System.out.printf(
        "score: P(alive) and E[purchases in %.0f weeks] for %d customers in %.3f s"
            + " (mean P(alive) %.6f, sum of expected purchases %.1f)%n",
        HORIZON_WEEKS, customers.size(), scoreSeconds, sums[0] / customers.size(), sums[1]);
    System.out.printf(
        "summary: customers=%d patterns=%d compress-s=%.4f fit-median-s=%.4f fit-first-s=%.4f"
            + " score-s=%.4f ll=%.9f r=%.12g alpha=%.12g a=%.12g b=%.12g%n",
        customers.size(), patterns.size(), compressSeconds, Timings.median(runs), runs.get(0),
        scoreSeconds, estimate.logLikelihood(), p[0], p[1], p[2], p[3]);
  }

  /** Fits {@code repetitions} times, adding each run's seconds to {@code runs}. */
  private static BoundedMle.Estimate fit(RepeatPatterns patterns, int repetitions, List<Double> runs) {
    BoundedMle.Estimate estimate = null;
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      estimate = BgNbd.fit(patterns);
      runs.add(Timings.secondsSince(start));
    }
    if (!estimate.found()) {
      throw new IllegalStateException("Cannot fit BG/NBD: " + estimate.failure());
    }
    double[] p = estimate.parameters();
    System.out.printf("fit: median %.3f s of %d runs (runs in order, the first cold: %s)%n",
        Timings.median(runs), repetitions, rounded(runs));
    System.out.printf(
        "fit: r=%.9g alpha=%.9g a=%.9g b=%.9g, standard errors %s, log-likelihood %.6f%n",
        p[0], p[1], p[2], p[3], Arrays.toString(estimate.standardErrors()),
        estimate.logLikelihood());
    return estimate;
  }

  private static WeekColumns read(Path csv) {
    try (BufferedReader in = Files.newBufferedReader(csv)) {
      String header = in.readLine();
      if (header == null || !header.strip().equals("x,t_x,T")) {
        throw new IllegalArgumentException(
            "Cannot read " + csv + ": the header must be x,t_x,T, found " + header);
      }
      double[][] columns = new double[3][1 << 16];
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (n == columns[0].length) {
          for (int c = 0; c < 3; c++) {
            columns[c] = Arrays.copyOf(columns[c], 2 * n);
          }
        }
        int first = line.indexOf(',');
        int second = line.indexOf(',', first + 1);
        if (first < 0 || second < 0) {
          throw new IllegalArgumentException(
              "Cannot read " + csv + ": line " + (n + 2) + " has not three fields: " + line);
        }
        columns[0][n] = Double.parseDouble(line.substring(0, first));
        columns[1][n] = Double.parseDouble(line.substring(first + 1, second));
        columns[2][n] = Double.parseDouble(line.substring(second + 1));
        n++;
      }
      return new WeekColumns(columns[0], columns[1], columns[2], n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * BG/NBD by its story: exponential gaps at rate λ ~ Gamma(r, α) until T, and after each repeat
   * purchase a drop-out with probability p ~ Beta(a, b); t_x rounded up to a whole day. Each chunk
   * has its own seeded generator, so the data do not depend on the thread count.
   */
  private static DayColumns simulate(int size, int seed) {
    DayColumns days = new DayColumns(new int[size], new int[size], new int[size]);
    IntStream.range(0, (size + CHUNK - 1) / CHUNK).parallel().forEach(c -> {
      RandomGenerator random = new MersenneTwister(new int[] {seed, c});
      GammaDistribution rate = new GammaDistribution(random, SIMULATED[0], 1 / SIMULATED[1]);
      BetaDistribution dropout = new BetaDistribution(random, SIMULATED[2], SIMULATED[3]);
      for (int i = c * CHUNK, end = Math.min(size, i + CHUNK); i < end; i++) {
        double lambda = rate.sample();
        double p = dropout.sample();
        int bigTDays = FIRST_DAY + random.nextInt(LAST_DAY - FIRST_DAY + 1);
        double bigT = bigTDays / 7.0;
        int x = 0;
        double last = 0;
        for (double t = -Math.log(random.nextDouble()) / lambda; t <= bigT;
            t -= Math.log(random.nextDouble()) / lambda) {
          x++;
          last = t;
          if (random.nextDouble() < p) {
            break;
          }
        }
        days.x[i] = x;
        days.txDays[i] = x == 0 ? 0 : Math.min(bigTDays, Math.max(1, (int) Math.ceil(last * 7)));
        days.bigTDays[i] = bigTDays;
      }
    });
    return days;
  }

  private static RepeatPatterns compress(Customers customers) {
    PatternTable table = new PatternTable();
    for (int i = 0; i < customers.size(); i++) {
      table.add(customers.x(i), customers.tx(i), customers.bigT(i));
    }
    return table.patterns();
  }

  /** Sums of P(alive) and of E[Y(52) | x, t_x, T] over every customer. */
  private static double[] score(double[] p, Customers customers) {
    int n = customers.size();
    double[][] partials = new double[(n + CHUNK - 1) / CHUNK][];
    IntStream.range(0, partials.length).parallel().forEach(c -> {
      double alive = 0;
      double purchases = 0;
      for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
        double x = customers.x(i);
        double tx = customers.tx(i);
        double bigT = customers.bigT(i);
        alive += BgNbd.probabilityAlive(p, x, tx, bigT);
        purchases += BgNbd.conditionalExpectedPurchases(p, HORIZON_WEEKS, x, tx, bigT);
      }
      partials[c] = new double[] {alive, purchases};
    });
    double[] sums = new double[2];
    for (double[] partial : partials) {
      sums[0] += partial[0];
      sums[1] += partial[1];
    }
    return sums;
  }

  /**
   * Open addressing on the exact bits of (x, t_x, T), patterns numbered in order of first sight:
   * no boxed key per customer.
   */
  private static final class PatternTable {
    private long[] keys = new long[3 << 16];
    private int[] slots = filled(1 << 16);
    private long[] counts = new long[1 << 15];
    private int size;

    void add(double x, double tx, double bigT) {
      long kx = Double.doubleToLongBits(x);
      long ktx = Double.doubleToLongBits(tx);
      long kt = Double.doubleToLongBits(bigT);
      int mask = slots.length - 1;
      for (int s = hash(kx, ktx, kt) & mask; ; s = (s + 1) & mask) {
        int at = slots[s];
        if (at < 0) {
          insert(s, kx, ktx, kt);
          return;
        }
        if (keys[3 * at] == kx && keys[3 * at + 1] == ktx && keys[3 * at + 2] == kt) {
          counts[at]++;
          return;
        }
      }
    }

    private void insert(int slot, long kx, long ktx, long kt) {
      if (size == counts.length) {
        counts = Arrays.copyOf(counts, 2 * size);
        keys = Arrays.copyOf(keys, 6 * size);
      }
      keys[3 * size] = kx;
      keys[3 * size + 1] = ktx;
      keys[3 * size + 2] = kt;
      counts[size] = 1;
      slots[slot] = size++;
      if (2 * size > slots.length) {
        rehash();
      }
    }

    private void rehash() {
      slots = filled(2 * slots.length);
      int mask = slots.length - 1;
      for (int at = 0; at < size; at++) {
        int s = hash(keys[3 * at], keys[3 * at + 1], keys[3 * at + 2]) & mask;
        while (slots[s] >= 0) {
          s = (s + 1) & mask;
        }
        slots[s] = at;
      }
    }

    RepeatPatterns patterns() {
      RepeatPatterns patterns = new RepeatPatterns();
      for (int at = 0; at < size; at++) {
        patterns.add(Double.longBitsToDouble(keys[3 * at]),
            Double.longBitsToDouble(keys[3 * at + 1]), Double.longBitsToDouble(keys[3 * at + 2]),
            counts[at]);
      }
      return patterns;
    }

    /** Whole numbers and days / 7 leave the low bits of a double zero or periodic: mix them all. */
    private static int hash(long kx, long ktx, long kt) {
      return (int) mix(mix(mix(kx) ^ ktx) ^ kt);
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long h) {
      h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
      h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
      return h ^ (h >>> 33);
    }

    private static int[] filled(int length) {
      int[] slots = new int[length];
      Arrays.fill(slots, -1);
      return slots;
    }
  }

  private static <T> T timed(String step, Supplier<T> work) {
    long start = System.nanoTime();
    T result = work.get();
    System.out.printf("%s: %.3f s%n", step, Timings.secondsSince(start));
    return result;
  }



  private static String rounded(List<Double> seconds) {
    return seconds.stream().map(s -> String.format("%.3f", s)).toList().toString();
  }
}
