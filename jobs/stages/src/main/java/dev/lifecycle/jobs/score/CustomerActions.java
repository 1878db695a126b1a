package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.StrategyRules;
import dev.lifecycle.core.lifecycle.LifecycleStages;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.MigrationPeriods;
import dev.lifecycle.spark.table.WinBackTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Each customer's migration status since the previous snapshot and their action from {@code
 * strategy.rules}, with the reason: the action's text and the rule and values that chose it.
 */
final class CustomerActions {
  private static final String FROM_RECENCY = "__from_recency";
  /** The quadrants by their code in the rules: current × potential. */
  private static final Map<String, String> QUADRANT_CODES =
      Map.of(
          ValueQuadrants.LOW_LOW, "ll", ValueQuadrants.LOW_HIGH, "lh", ValueQuadrants.HIGH_LOW, "hl",
          ValueQuadrants.HIGH_HIGH, "hh");
  private static final String NONE = "none";

  private CustomerActions() {}

  /**
   * {@code scored} with migration_status (null without a previous snapshot), action and
   * action_reason; {@code previous} is the previous snapshot's customer_scores.
   */
  static Dataset<Row> add(
      Dataset<Row> scored, Optional<MigrationPeriods> periods, Optional<Dataset<Row>> previous, LifecycleConfig.Strategy strategy) {
    Dataset<Row> withStatus;
    if (periods.isPresent()) {
      Dataset<Row> before = previous.orElseThrow().select(col(Columns.CUSTOMER_ID), col(Columns.RECENCY_DAYS).as(FROM_RECENCY));
      withStatus =
          scored
              .join(before, scored.col(Columns.CUSTOMER_ID).equalTo(before.col(Columns.CUSTOMER_ID)), "left")
              .drop(before.col(Columns.CUSTOMER_ID))
              .withColumn(Columns.MIGRATION_STATUS, periods.get().status(col(FROM_RECENCY), col(Columns.RECENCY_DAYS)))
              .drop(FROM_RECENCY);
    } else {
      withStatus = scored.withColumn(Columns.MIGRATION_STATUS, lit(null).cast(DataTypes.StringType));
    }
    Map<String, Column> values = dimensions(strategy);
    Column action = null;
    Column reason = null;
    for (StrategyRules.Rule rule : strategy.rules().rules()) {
      Column matches = lit(true);
      List<Column> named = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, Column> dimension : values.entrySet()) {
        Set<String> allowed = rule.allowed().get(i++);
        if (allowed.size() < StrategyRules.DIMENSIONS.get(dimension.getKey()).size()) {
          matches = matches.and(dimension.getValue().isin(allowed.toArray()));
        }
        named.add(lit((named.isEmpty() ? "" : " ") + dimension.getKey() + "="));
        named.add(dimension.getValue());
      }
      named.add(0, lit(strategy.rules().actions().get(rule.action()) + " (rule " + rule.number() + ": "));
      named.add(lit(")"));
      Column text = concat(named.toArray(Column[]::new));
      action = action == null ? when(matches, lit(rule.action())) : action.when(matches, lit(rule.action()));
      reason = reason == null ? when(matches, text) : reason.when(matches, text);
    }
    return withStatus.withColumn(Columns.ACTION, action).withColumn(Columns.ACTION_REASON, reason);
  }

  /** Each dimension of the rules as a column of the customer's value, {@code none} when not known. */
  private static Map<String, Column> dimensions(LifecycleConfig.Strategy strategy) {
    Column quadrant = lit(NONE);
    for (Map.Entry<String, String> code : QUADRANT_CODES.entrySet()) {
      quadrant = when(col(Columns.VALUE_QUADRANT).equalTo(code.getKey()), lit(code.getValue())).otherwise(quadrant);
    }
    Column pAlive = col(Columns.P_ALIVE);
    Column band =
        when(pAlive.isNull(), lit(NONE))
            .when(pAlive.lt(strategy.lowAliveBelow()), lit("low"))
            .when(pAlive.geq(strategy.highAliveFrom()), lit("high"))
            .otherwise(lit("mid"));
    Map<String, Column> columns = new java.util.LinkedHashMap<>();
    columns.put("stage", known(col(Columns.LIFECYCLE_STAGE), "stage"));
    columns.put("value", quadrant);
    columns.put("alive", band);
    columns.put("status", known(col(Columns.MIGRATION_STATUS), "status"));
    if (!columns.keySet().equals(StrategyRules.DIMENSIONS.keySet())) {
      throw new IllegalStateException("Cannot apply strategy.rules: its dimensions are " + StrategyRules.DIMENSIONS.keySet());
    }
    return columns;
  }

  private static Column known(Column value, String dimension) {
    return when(value.isin(StrategyRules.DIMENSIONS.get(dimension).toArray()), value).otherwise(lit(NONE));
  }

  /**
   * The win_back rows of the written scores: lost and declining customers, ranked by past value
   * (their spend to date) × P(alive), highest first; those without P(alive) last.
   */
  static Dataset<Row> winBack(Dataset<Row> scores, LocalDate snapshot) {
    Column score = col(Columns.MONETARY_TOTAL).multiply(col(Columns.P_ALIVE));
    return scores
        .where(col(Columns.LIFECYCLE_STAGE).isin(LifecycleStages.LOST, LifecycleStages.DECLINE))
        .withColumn(WinBackTable.WIN_BACK_SCORE, score)
        .withColumn(
            WinBackTable.RANK,
            row_number()
                .over(Window.orderBy(col(WinBackTable.WIN_BACK_SCORE).desc_nulls_last(), col(Columns.CUSTOMER_ID)))
                .cast(DataTypes.LongType))
        .withColumn(
            WinBackTable.LAST_PURCHASE_DATE, date_sub(lit(Date.valueOf(snapshot)), col(Columns.RECENCY_DAYS)))
        .select(WinBackTable.SPEC.columns().stream().map(name -> col(name)).toArray(Column[]::new));
  }
}
