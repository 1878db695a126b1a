package dev.lifecycle.spark.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Rows sorted on the driver come in the order Spark's orderBy gives them. */
class RowOrderTest {
  @Test
  void sortsAsSparksOrderBy() {
    StructType schema =
        new StructType()
            .add("text", DataTypes.StringType)
            .add("day", DataTypes.DateType)
            .add("x", DataTypes.DoubleType)
            .add("n", DataTypes.IntegerType);
    Date may = Date.valueOf("2024-05-01");
    Date june = Date.valueOf("2024-06-01");
    // U+FFFD before U+1F600 by their UTF-8 bytes, after it by Java's UTF-16 chars
    List<Row> rows =
        List.of(
            RowFactory.create("\uD83D\uDE00", may, 1.0, 1),
            RowFactory.create("\uFFFD", may, 1.0, 2),
            RowFactory.create(null, june, Double.NaN, 3),
            RowFactory.create("a", june, -0.0, 5), // -0.0 is 0.0: n orders these two
            RowFactory.create("a", june, 0.0, 4),
            RowFactory.create("a", may, null, 6),
            RowFactory.create("a", may, Double.NaN, 7),
            RowFactory.create("a", may, -1.0, 8),
            RowFactory.create("B", null, 2.0, 9));
    Dataset<Row> table = TestSpark.session().createDataFrame(rows, schema).repartition(3);

    for (String[] columns : new String[][] {{"text", "day", "x", "n"}, {"x", "n"}, {"day", "n"}}) {
      assertThat(ns(RowOrder.sorted(table, columns)))
          .as("by %s", String.join(", ", columns))
          .isEqualTo(ns(table.orderBy(columns[0], Arrays.copyOfRange(columns, 1, columns.length)).collectAsList()));
    }
    assertThat(ns(RowOrder.sorted(table, "text", "day", "x", "n"))).containsExactly(3, 9, 6, 8, 7, 4, 5, 2, 1);
  }

  private static List<Integer> ns(List<Row> rows) {
    return rows.stream().map(r -> r.<Integer>getAs("n")).toList();
  }
}
