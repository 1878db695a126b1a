package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
    Column combination = lit(0);
    for (Map.Entry<String, Column> dimension : positions(strategy).entrySet()) {
      combination =
          combination.multiply(StrategyRules.DIMENSIONS.get(dimension.getKey()).size()).plus(dimension.getValue());
    }
    List<String> actions = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (List<String> values : StrategyRules.combinations()) {
      StrategyRules.Rule rule = strategy.rules().ruleFor(values);
      StringBuilder reason =
          new StringBuilder(strategy.rules().actions().get(rule.action())).append(" (rule ").append(rule.number()).append(": ");
      int i = 0;
      for (String name : StrategyRules.DIMENSIONS.keySet()) {
        reason.append(i == 0 ? "" : " ").append(name).append('=').append(values.get(i++));
      }
      actions.add(rule.action());
      reasons.add(reason.append(')').toString());
    }
    // element_at counts from 1.
    Column place = combination.plus(1);
    return withStatus
        .withColumn(Columns.ACTION, element_at(literals(actions), place))
        .withColumn(Columns.ACTION_REASON, element_at(literals(reasons), place));
  }

  private static Column literals(List<String> values) {
    return array(values.stream().map(value -> lit(value)).toArray(Column[]::new));
  }

  /**
   * Each dimension of the rules as a column of its value's place in {@link
   * StrategyRules#DIMENSIONS}, {@code none}'s when the value is not known: the combination of the
   * four places picks the action and reason precomputed for every combination, so a customer
   * costs four small lookups whatever the number of rules.
   */
  private static Map<String, Column> positions(LifecycleConfig.Strategy strategy) {
    Column pAlive = col(Columns.P_ALIVE);
    Map<String, Column> columns = new LinkedHashMap<>();
    columns.put("stage", position("stage", col(Columns.LIFECYCLE_STAGE)));
    columns.put("value", position("value", QUADRANT_CODES, col(Columns.VALUE_QUADRANT)));
    columns.put(
        "alive",
        position(
            "alive",
            when(pAlive.isNull(), lit(NONE))
                .when(pAlive.lt(strategy.lowAliveBelow()), lit("low"))
                .when(pAlive.geq(strategy.highAliveFrom()), lit("high"))
                .otherwise(lit("mid"))));
    columns.put("status", position("status", col(Columns.MIGRATION_STATUS)));
    if (!columns.keySet().equals(StrategyRules.DIMENSIONS.keySet())) {
      throw new IllegalStateException("Cannot apply strategy.rules: its dimensions are " + StrategyRules.DIMENSIONS.keySet());
    }
    return columns;
  }

  private static Column position(String dimension, Column value) {
    Map<String, String> same = new LinkedHashMap<>();
    StrategyRules.DIMENSIONS.get(dimension).forEach(v -> same.put(v, v));
    return position(dimension, same, value);
  }

  /** The place of the dimension's value that {@code codes} gives {@code value}; none's without one. */
  private static Column position(String dimension, Map<String, String> codes, Column value) {
    List<String> values = StrategyRules.DIMENSIONS.get(dimension);
    Column place = lit(values.indexOf(NONE));
    for (Map.Entry<String, String> code : codes.entrySet()) {
      place = when(value.equalTo(code.getKey()), lit(values.indexOf(code.getValue()))).otherwise(place);
    }
    return place;
  }

  /**
   * The win_back rows of the written scores: lost and declining customers with some spend to win
   * back, ranked by past value × P(alive), highest first; those without P(alive) last, ties by id.
   * Past value is the spend to date net of every return, whatever {@code input.returns} (or, for
   * features written before net_spend was, their monetary_total): a customer who returned
   * everything bought, whose net spend is zero or less, is not listed. The rows are sorted in one partition and
   * numbered in that order as they stream out of the sort: a window over the whole table would
   * first copy every row into a buffer of its own.
   */
  static Dataset<Row> winBack(Dataset<Row> scores, LocalDate snapshot) {
    Column pastValue = coalesce(col(Columns.NET_SPEND), col(Columns.MONETARY_TOTAL));
    Column score = pastValue.multiply(col(Columns.P_ALIVE));
    return scores
        .where(col(Columns.LIFECYCLE_STAGE).isin(LifecycleStages.LOST, LifecycleStages.DECLINE))
        .where(pastValue.gt(0))
        .withColumn(WinBackTable.WIN_BACK_SCORE, score)
        .repartition(1)
        .sortWithinPartitions(col(WinBackTable.WIN_BACK_SCORE).desc_nulls_last(), col(Columns.CUSTOMER_ID))
        // In the one partition, the ids count the rows from 0 in the order they leave the sort.
        .withColumn(WinBackTable.RANK, monotonically_increasing_id().plus(1))
        .withColumn(
            WinBackTable.LAST_PURCHASE_DATE, date_sub(lit(Date.valueOf(snapshot)), col(Columns.RECENCY_DAYS)))
        .select(WinBackTable.SPEC.columns().stream().map(name -> col(name)).toArray(Column[]::new));
  }
}
