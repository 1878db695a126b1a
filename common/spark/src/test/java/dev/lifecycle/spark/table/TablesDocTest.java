package dev.lifecycle.spark.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/tables.md lists every table's columns as the code writes them, in order: a BI tool (and a
 * reader of the docs) sees the columns in the spec's order, so the docs' column tables follow it.
 */
class TablesDocTest {
  private static final Pattern NAME = Pattern.compile("`([a-z_0-9A-Z]+)`");

  @Test
  void everyTablesColumnsAreDocumentedInTheirOrder() throws IOException {
    String doc = Files.readString(SharedData.project("docs/tables.md"));
    SoftAssertions softly = new SoftAssertions();
    for (Table table : Tables.ALL) {
      int at = doc.indexOf("\n## " + table.name() + "\n");
      assertThat(at).as("section ## %s", table.name()).isNotNegative();
      int end = doc.indexOf("\n## ", at + 1);
      List<String> documented = new ArrayList<>();
      for (String line : doc.substring(at, end < 0 ? doc.length() : end).lines().toList()) {
        if (!line.startsWith("| `")) {
          continue;
        }
        Matcher names = NAME.matcher(line.substring(1, line.indexOf('|', 1)));
        while (names.find()) {
          documented.add(names.group(1));
        }
      }
      List<String> written = new ArrayList<>(table.columns());
      written.add(Columns.SNAPSHOT_DATE);
      if (table.inputColumnsFirst()) {
        documented.retainAll(written); // the input's own columns come first, named by the input
      }
      softly.assertThat(documented).as(table.name()).containsExactlyElementsOf(written);
    }
    softly.assertAll();
  }
}
