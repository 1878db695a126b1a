package dev.lifecycle.spark.stage;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.io.Warehouse;
import org.apache.spark.sql.SparkSession;

/**
 * What every stage is given by the run: the session, the config, the warehouse, and which run and
 * command it belongs to (for file names and messages). A stage never builds the session and never
 * records anything here; it returns what it did as a result record.
 */
public record StageContext(SparkSession spark, LifecycleConfig config, Warehouse warehouse, String runId, String command) {}
