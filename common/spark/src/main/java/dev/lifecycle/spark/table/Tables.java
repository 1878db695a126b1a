package dev.lifecycle.spark.table;

import java.util.List;

/** Every output table, in the order the pipeline writes them. */
public final class Tables {
  public static final List<Table> ALL =
      List.of(
          TransactionsRejectedTable.SPEC,
          CustomerFeaturesTable.SPEC,
          CohortActivityTable.SPEC,
          RetentionModelsTable.SPEC,
          RetentionCurvesTable.SPEC,
          CustomerSegmentsTable.SPEC,
          SegmentProfilesTable.SPEC,
          SomCodebookTable.SPEC,
          SegmentLineageTable.SPEC,
          TuningRunsTable.SPEC,
          ClvModelsTable.SPEC,
          CohortValueTable.SPEC,
          ClvValidationTable.SPEC,
          PropensityModelsTable.SPEC,
          CustomerChurnTable.SPEC,
          CustomerScoresTable.SPEC,
          LoyaltyWeightsTable.SPEC,
          ValueClassAgreementTable.SPEC,
          WinBackTable.SPEC,
          CustomerMigrationTable.SPEC,
          MigrationMatrixTable.SPEC,
          RunManifestTable.SPEC);

  private Tables() {}
}
