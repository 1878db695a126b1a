package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;

import dev.lifecycle.core.test.SharedData;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The CDNOW 1/10 sample of Fader, Hardie & Lee (2005) as transactions: customer, date, dollars. */
final class CdnowSample {
  private CdnowSample() {}

  /** Lines like " 00004 0001 19970101  2   29.33": original id, sample id, date, CDs, dollars. */
  static Dataset<Row> transactions(SparkSession spark) {
    Column fields = split(trim(col("value")), "\\s+");
    return spark.read().text(SharedData.file("cdnow/CDNOW_sample.txt").toString())
        .select(
            fields.getItem(1).cast("int").as("customer"),
            to_date(fields.getItem(2), "yyyyMMdd").as("date"),
            fields.getItem(4).cast("double").as("dollars"));
  }
}
