package dev.lifecycle.core.rfm;

/**
 * Distinct values in ascending order with how many customers hold each: enough to place every
 * customer by exact rank without sorting the customers themselves.
 */
public record ValueHistogram(double[] values, long[] counts) {
  public ValueHistogram {
    if (values.length != counts.length) {
      throw new IllegalArgumentException("Cannot build histogram: values and counts differ in length");
    }
    for (int i = 1; i < values.length; i++) {
      if (!(values[i - 1] < values[i])) {
        throw new IllegalArgumentException(
            "Cannot build histogram: values must be distinct and ascending at index " + i);
      }
    }
  }

  public long total() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }
}
