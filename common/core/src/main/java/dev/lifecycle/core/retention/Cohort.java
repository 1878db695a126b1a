package dev.lifecycle.core.retention;

/**
 * The customers acquired in one period, within one segment (the value of the optional cohort
 * attribute, or one segment for everyone).
 */
public record Cohort(String segment, int period, Lifetimes lifetimes) {}
