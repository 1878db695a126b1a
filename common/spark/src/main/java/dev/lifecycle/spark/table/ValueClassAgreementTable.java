package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code value_class_agreement}: with {@code value.classifier = perceptron}, the confusion matrix
 * of the snapshot's value classes, the rule's against the perceptron's (learnt from the reference
 * snapshot), and the accuracy, the share of customers both put in the same class.
 */
public final class ValueClassAgreementTable {
  public static final String RULE_CLASS = "rule_class";
  public static final String PERCEPTRON_CLASS = "perceptron_class";
  public static final String REFERENCE_SNAPSHOT = "reference_snapshot";
  public static final String ACCURACY = "accuracy";

  public static final Table SPEC =
      new Table(
          "value_class_agreement",
          "pair of value classes",
          new StructType()
              .add(REFERENCE_SNAPSHOT, DataTypes.DateType, false)
              .add(RULE_CLASS, DataTypes.StringType, false)
              .add(PERCEPTRON_CLASS, DataTypes.StringType, false)
              .add(Columns.CUSTOMERS, DataTypes.LongType, false)
              .add(ACCURACY, DataTypes.DoubleType, false));

  private ValueClassAgreementTable() {}
}
