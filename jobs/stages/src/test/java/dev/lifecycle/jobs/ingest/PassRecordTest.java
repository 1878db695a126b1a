package dev.lifecycle.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection$;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The pass's records as rows of its union. */
class PassRecordTest {
  private static final StructType UNION =
      PassRecord.schema(new StructType().add("customer_id", DataTypes.StringType).add("amount", DataTypes.DoubleType));

  @Test
  void summariesWrittenInBinaryFormHoldTheBytesSparkMakesOfTheirFields() {
    PassRecord.Summary[] summaries = {
      summary("C-1", new double[] {0, 12.5, -3.25}, new int[] {0, 2, 1}),
      // multi-byte text, a long id, no windows, and extreme values
      summary("Kundin-Müller-0000000000000000000042", new double[0], new int[0]),
      summary("", new double[] {Double.MAX_VALUE}, new int[] {Integer.MAX_VALUE})
    };
    UnsafeProjection spark = UnsafeProjection$.MODULE$.create(UNION);
    for (PassRecord.Summary summary : summaries) {
      UnsafeRow expected = spark.apply(generic(summary)).copy();
      assertThat(summary.row()).isEqualTo(expected);
      UnsafeRow atCut = spark.apply(generic(new PassRecord.CutSummary(summary))).copy();
      assertThat(new PassRecord.CutSummary(summary).row()).isEqualTo(atCut).isNotEqualTo(expected);
      // and it reads back as a summary, with its arrays
      InternalRow read = summary.row();
      assertThat(read.getInt(0)).isEqualTo(PassRecord.index(PassRecord.SUMMARY));
      InternalRow fields = read.getStruct(1, PassRecord.Summary.TYPE.size());
      assertThat(fields.getUTF8String(1)).isEqualTo(summary.customerId());
      assertThat(fields.getDouble(6)).isEqualTo(summary.returns());
      assertThat(fields.getDouble(7)).isEqualTo(summary.netSpend());
      assertThat(fields.getArray(11).toDoubleArray()).containsExactly(summary.windowAmounts());
      assertThat(fields.getArray(12).toIntArray()).containsExactly(summary.windowPurchaseDays());
      assertThat(fields.getLong(17)).isEqualTo(summary.afterSplitPurchaseDays());
    }
  }

  /** The union's row as a record makes it from its fields. */
  private static InternalRow generic(PassRecord record) {
    Object[] values = new Object[1 + PassRecord.KINDS.length];
    int kind = PassRecord.index(record.kind());
    values[0] = kind;
    values[1 + kind] = record.fields();
    return new GenericInternalRow(values);
  }

  private static PassRecord.Summary summary(String id, double[] windowAmounts, int[] windowDays) {
    return new PassRecord.Summary(
        20_000, UTF8String.fromString(id), 1_700_000_000_000_000L, Long.MAX_VALUE, 3, 41.75, 8.5, 33.25, 2, -0.0,
        1e-300,
        windowAmounts, windowDays, 4, 17.5, 1, Integer.MIN_VALUE, Long.MIN_VALUE);
  }
}
