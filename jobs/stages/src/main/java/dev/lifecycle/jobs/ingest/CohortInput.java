package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.config.RetentionPeriod;
import java.io.Serializable;

/**
 * What the pass needs to tally cohorts for the retention stage: the cohort period, the snapshot
 * day and the quiet days after which a customer counts as churned.
 */
public record CohortInput(RetentionPeriod period, int asOfDay, int churnAfterDays)
    implements Serializable {}
