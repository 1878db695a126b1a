package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CDNOW sample read from the raw transactions (CDNOW_sample.txt), calibrated to 1997-09-30 in
 * weeks, holdout to 1998-06-30 (39 weeks), purchases counted as purchase days, the unit of the
 * product's summary; BG/NBD at Fader, Hardie &amp; Lee's published parameters.
 */
class HoldoutCheckTest {
  private static final double[] PUBLISHED = {0.2426, 4.4135, 0.7929, 2.4258};
  private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
  private static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
  private static final PurchaseProcess BG_NBD = PurchaseProcess.of(LifecycleConfig.PurchaseModel.BG_NBD);

  /** Per customer: x, t_x, T, holdout purchase days. */
  private static List<double[]> customers;

  @BeforeAll
  static void readCdnow() throws IOException {
    Map<String, TreeSet<LocalDate>> days = new TreeMap<>();
    DateTimeFormatter format = DateTimeFormatter.BASIC_ISO_DATE;
    for (String line : Files.readAllLines(SharedData.file("cdnow/CDNOW_sample.txt"))) {
      String[] f = line.trim().split("\\s+");
      days.computeIfAbsent(f[0], k -> new TreeSet<>()).add(LocalDate.parse(f[2], format));
    }
    customers = new ArrayList<>();
    for (TreeSet<LocalDate> bought : days.values()) {
      LocalDate first = bought.first();
      TreeSet<LocalDate> calibration = new TreeSet<>(bought.headSet(CALIBRATION_END, true));
      long holdout = bought.subSet(CALIBRATION_END, false, HOLDOUT_END, true).size();
      customers.add(
          new double[] {
            calibration.size() - 1, ChronoUnit.DAYS.between(first, calibration.last()) / 7.0,
            ChronoUnit.DAYS.between(first, CALIBRATION_END) / 7.0, holdout
          });
    }
  }

  private static List<HoldoutCheck.Group> groups() {
    Map<List<Double>, Long> counts = new HashMap<>();
    for (double[] c : customers) {
      counts.merge(List.of(c[0], c[1], c[2], c[3]), 1L, Long::sum);
    }
    List<HoldoutCheck.Group> groups = new ArrayList<>();
    counts.forEach((k, n) -> groups.add(new HoldoutCheck.Group(k.get(0), k.get(1), k.get(2), k.get(3), n)));
    return groups;
  }

  @Test
  void byFrequencyTheActualsAreTheCountsAndThePredictionsTheClosedForm() {
    HoldoutCheck.Result result = HoldoutCheck.of(BG_NBD, PUBLISHED, 39, groups());

    double[][] expected = new double[8][3];
    for (double[] c : customers) {
      double[] bucket = expected[(int) Math.min(c[0], 7)];
      bucket[0]++;
      bucket[1] += c[3];
      bucket[2] += BgNbd.conditionalExpectedPurchases(PUBLISHED, 39, c[0], c[1], c[2]);
    }
    assertThat(result.byFrequency()).hasSize(8);
    for (int x = 0; x < 8; x++) {
      HoldoutCheck.Bucket bucket = result.byFrequency().get(x);
      assertThat(bucket.key()).isEqualTo(x == 7 ? "7+" : Integer.toString(x));
      assertThat(bucket.customers()).isEqualTo((long) expected[x][0]);
      assertThat(bucket.actual()).isEqualTo(expected[x][1] / expected[x][0], within(1e-12));
      assertThat(bucket.predicted()).as("x = %s", x).isCloseTo(expected[x][2] / expected[x][0], within(1e-6));
    }
    assertThat(result.metrics().customers()).isEqualTo(2357);
    // 1,882 purchase days in the holdout; Fader, Hardie & Lee's 1,788 count weeks with a purchase
    assertThat(result.metrics().actualTotal()).isEqualTo(1882);
  }

  @Test
  void metricsArePerCustomer() {
    HoldoutCheck.Metrics metrics = HoldoutCheck.of(BG_NBD, PUBLISHED, 39, groups()).metrics();

    double absolute = 0;
    double squared = 0;
    double predicted = 0;
    for (double[] c : customers) {
      double error = BgNbd.conditionalExpectedPurchases(PUBLISHED, 39, c[0], c[1], c[2]) - c[3];
      absolute += Math.abs(error);
      squared += error * error;
      predicted += error + c[3];
    }
    assertThat(metrics.mae()).isCloseTo(absolute / 2357, within(1e-9));
    assertThat(metrics.rmse()).isCloseTo(Math.sqrt(squared / 2357), within(1e-9));
    assertThat(metrics.predictedTotal()).isCloseTo(predicted, within(1e-6));
    assertThat(metrics.totalErrorPercent()).isCloseTo(100 * (predicted - 1882) / 1882, within(1e-6));
    assertThat(metrics.bias()).isCloseTo((predicted - 1882) / 2357, within(1e-9));
  }

  @Test
  void aliveDecilesNeverFallAndHoldEveryone() {
    List<HoldoutCheck.Bucket> deciles = HoldoutCheck.of(BG_NBD, PUBLISHED, 39, groups()).aliveDeciles();

    assertThat(deciles.stream().mapToLong(HoldoutCheck.Bucket::customers).sum()).isEqualTo(2357);
    for (int i = 1; i < deciles.size(); i++) {
      assertThat(deciles.get(i).predicted()).isGreaterThanOrEqualTo(deciles.get(i - 1).predicted());
    }
    // BG/NBD's 1,411 one-time buyers all have P(alive) 1 and stay together in one decile
    HoldoutCheck.Bucket top = deciles.get(deciles.size() - 1);
    assertThat(top.predicted()).isEqualTo(1.0);
    assertThat(top.customers()).isGreaterThanOrEqualTo(1411);
  }

  @Test
  void trackingIsTheSumOfNewCustomersExpectations() {
    double[] ends = {1, 10, 39, 78};

    double[] one = HoldoutCheck.expectedCumulative(BG_NBD, PUBLISHED, new double[] {0}, new long[] {1}, ends);
    double[] late =
        HoldoutCheck.expectedCumulative(BG_NBD, PUBLISHED, new double[] {20}, new long[] {3}, ends);

    for (int k = 0; k < ends.length; k++) {
      assertThat(one[k]).isCloseTo(BgNbd.expectedPurchases(PUBLISHED, ends[k]), within(1e-12));
      double since = Math.max(0, ends[k] - 20);
      assertThat(late[k]).isCloseTo(since > 0 ? 3 * BgNbd.expectedPurchases(PUBLISHED, since) : 0, within(1e-12));
    }
  }
}
