package dev.lifecycle.core.config;

/** The explicit time unit of model quantities; a month is 30.4375 days (365.25 / 12). */
public enum PeriodUnit {
  DAY(1.0),
  WEEK(7.0),
  MONTH(30.4375);

  private final double days;

  PeriodUnit(double days) {
    this.days = days;
  }

  public double days() {
    return days;
  }
}
