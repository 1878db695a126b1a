package dev.lifecycle.core.retention;

import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * The survivors per 1,000 customers of Fader &amp; Hardie (2007), Table 1, years 0..12, read from
 * ../shared/data/retention.
 */
final class FaderHardie {
  static final int REGULAR = 1;
  static final int HIGH_END = 2;

  private FaderHardie() {}

  static long[] survivors(int column) {
    try {
      List<String> lines =
          Files.readAllLines(SharedData.file("retention/sbg_fader_hardie_2007_survivors.csv"));
      return lines.stream()
          .skip(1)
          .mapToLong(line -> Long.parseLong(line.split(",")[column].trim()))
          .toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Years 0..7 as lifetimes: churns each year, the year-7 survivors censored there. */
  static Lifetimes calibration(int column) {
    long[] alive = survivors(column);
    Lifetimes data = Lifetimes.observedThrough(7);
    for (int year = 1; year <= 7; year++) {
      data.add(year - 1, false, alive[year - 1] - alive[year]);
    }
    return data.add(7, true, alive[7]);
  }
}
