package dev.lifecycle.jobs.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WinBackTest {
  private static final StructType SCORES =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("lifecycle_stage", DataTypes.StringType)
          .add("migration_status", DataTypes.StringType)
          .add("recency_days", DataTypes.IntegerType)
          .add("monetary_total", DataTypes.DoubleType)
          .add("net_spend", DataTypes.DoubleType)
          .add("p_alive", DataTypes.DoubleType)
          .add("clv", DataTypes.DoubleType)
          .add("action", DataTypes.StringType);

  @Test
  void lostAndDecliningCustomersWithSpendToWinBackRankedByNetValueTimesPAliveNotThoseWhoReturnedEverything() {
    List<Row> scores =
        List.of(
            // monetary_total, then net_spend: under input.returns = exclude the returns are left out of the first only
            RowFactory.create("a", "lost", "lapsed", 200, 100.0, 80.0, 0.1, 1.0, "win_back"),
            RowFactory.create("b", "decline", null, 90, 40.0, 40.0, 0.5, 5.0, "retain"),
            RowFactory.create("c", "active", null, 3, 900.0, 900.0, 0.9, 50.0, "develop"),
            // with input.returns = net: bought 77,183.60, returned it all; and returned more than bought
            RowFactory.create("d", "lost", "lapsed", 300, 0.0, 0.0, 0.2, 0.0, "win_back"),
            RowFactory.create("e", "lost", "lapsed", 300, -95.9, -95.9, 0.2, 0.0, "win_back"),
            // the same under exclude: the spend is gross, the net spend is not
            RowFactory.create("g", "lost", "lapsed", 300, 77_183.6, 0.0, 0.2, 0.0, "win_back"),
            RowFactory.create("f", "decline", null, 120, 60.0, 60.0, null, null, "win_back"),
            // features written before net_spend was: their monetary_total
            RowFactory.create("h", "lost", "lapsed", 100, 50.0, null, 0.1, 1.0, "win_back"));
    List<Row> ranked =
        CustomerActions.winBack(TestSpark.session().createDataFrame(scores, SCORES), LocalDate.parse("2025-12-31"))
            .orderBy("rank")
            .collectAsList();
    assertThat(ranked).extracting(r -> r.getAs("customer_id") + " " + r.getAs("rank") + " " + r.getAs("last_purchase_date"))
        .containsExactly("b 1 2025-10-02", "a 2 2025-06-14", "h 3 2025-09-22", "f 4 2025-09-02");
    assertThat(ranked).extracting(r -> r.<Double>getAs("win_back_score")).containsExactly(20.0, 8.0, 5.0, null);
  }
}
