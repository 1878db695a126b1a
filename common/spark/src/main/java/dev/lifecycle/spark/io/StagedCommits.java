package dev.lifecycle.spark.io;

import dev.lifecycle.spark.table.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link ParquetWarehouse} publishes staged partitions, and finishes or rolls back what a killed
 * run left, under {@code _staging/} at the warehouse root:
 *
 * <ul>
 *   <li>{@code _staging/<table>/staging-<snapshot>-<id>}: a partition written in full, not yet
 *       published;
 *   <li>{@code _staging/_commits/<snapshot>-<id>}: a commit's journal, one line per table, {@code
 *       <table> TAB <staged folder>} ({@code -} for a snapshot with no rows), written atomically
 *       before anything moves;
 *   <li>{@code _staging/<table>/replaced-<snapshot>-<id>}: an old partition set aside by a commit,
 *       deleted when the commit ends.
 * </ul>
 *
 * A staged folder that no journal names is removed; a journal is carried out to its end.
 */
final class StagedCommits {
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  static final String STAGING_ROOT = "_staging";
  static final String STAGING = "staging-";
  /** A journal line's staged folder for a table whose snapshot has no rows: its partition goes. */
  static final String NO_ROWS = "-";
  static final String PARTITION_PREFIX = Columns.SNAPSHOT_DATE + "=";
  private static final String COMMITS = "_commits";
  private static final String REPLACED = "replaced-";

  private final Warehouse warehouse;
  private final FileSystem fs;
  private final Path root;

  StagedCommits(Warehouse warehouse, FileSystem fs, Path root) {
    this.warehouse = warehouse;
    this.fs = fs;
    this.root = root;
  }

  /** A new staging folder's name for the snapshot. */
  static String stagingName(LocalDate snapshot) {
    return STAGING + snapshot + "-" + UUID.randomUUID();
  }

  Path partition(String table, LocalDate snapshot) {
    return new Path(new Path(root, table), PARTITION_PREFIX + snapshot);
  }

  Path stagingDir(String table) {
    return new Path(new Path(root, STAGING_ROOT), table);
  }

  /** Writes the journal of the tables' staged folders atomically, then carries it out. */
  void commit(LocalDate snapshot, Map<String, String> tables) throws IOException {
    StringBuilder lines = new StringBuilder();
    tables.forEach((table, name) -> lines.append(table).append('\t').append(name).append('\n'));
    String journal = STAGING_ROOT + "/" + COMMITS + "/" + snapshot + "-" + UUID.randomUUID();
    carryOut(new Path(warehouse.writeText(journal, lines.toString())));
  }

  /**
   * Publishes what a journal lists, from wherever a killed commit stopped: each table's old
   * partition aside and its staged folder in, then the old ones deleted, then the journal. Each step
   * is skipped when already done, so carrying out a journal twice is harmless.
   */
  private void carryOut(Path journal) throws IOException {
    LocalDate snapshot = LocalDate.parse(journal.getName().substring(0, 10));
    String id = journal.getName().substring(11);
    List<Path> replaced = new ArrayList<>();
    for (String line : read(journal).split("\n")) {
      String[] parts = line.split("\t");
      if (parts.length != 2) {
        continue; // a blank line
      }
      Path partition = partition(parts[0], snapshot);
      Path aside = new Path(stagingDir(parts[0]), REPLACED + snapshot + "-" + id);
      Path stagedFolder = parts[1].equals(NO_ROWS) ? null : new Path(stagingDir(parts[0]), parts[1]);
      boolean toDo = stagedFolder == null || fs.exists(stagedFolder);
      if (toDo && fs.exists(partition)) {
        if (fs.exists(aside)) {
          fs.delete(partition, true);
        } else {
          rename(partition, aside);
        }
      }
      if (stagedFolder != null && fs.exists(stagedFolder)) {
        fs.mkdirs(partition.getParent());
        rename(stagedFolder, partition);
      }
      replaced.add(aside);
    }
    for (Path aside : replaced) {
      fs.delete(aside, true);
    }
    fs.delete(journal, false);
  }

  /**
   * Completes the snapshot's commits that a killed run left (all of them when {@code snapshot} is
   * null) and removes staging folders that no journal names and that are not {@code ours}. Not
   * while another run holds the snapshot's lease: what is under way there is that run's.
   */
  void recover(LocalDate snapshot, Predicate<String> ours) {
    Path stagingRoot = new Path(root, STAGING_ROOT);
    try {
      if (!fs.exists(stagingRoot)) {
        return;
      }
      Path commits = new Path(stagingRoot, COMMITS);
      if (fs.exists(commits)) {
        for (FileStatus journal : fs.listStatus(commits)) {
          String name = journal.getPath().getName();
          boolean unfinished = name.startsWith("."); // killed while its journal was written: no commit
          Optional<LocalDate> of = date(unfinished ? name.substring(1) : name);
          if (of.isEmpty() || (snapshot != null && !of.get().equals(snapshot)) || warehouse.leasedByOther(of.get())) {
            continue;
          }
          if (unfinished) {
            fs.delete(journal.getPath(), false);
          } else {
            // Said, as no manifest of this run records it: the tables change now, under another run.
            LOG.warn(
                "warehouse: finishing the publication of snapshot {} that an earlier run committed and did not"
                    + " finish (it failed or was killed while publishing); its tables name that run (_lifecycle_run)",
                of.get());
            carryOut(journal.getPath());
          }
        }
      }
      for (FileStatus table : fs.listStatus(stagingRoot)) {
        if (table.getPath().getName().equals(COMMITS)) {
          continue;
        }
        for (FileStatus status : fs.listStatus(table.getPath())) {
          cleanUp(table.getPath().getName(), status.getPath(), snapshot, ours);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot recover the warehouse " + warehouse.uri() + " from " + stagingRoot + ": " + e, e);
    }
  }

  /**
   * Removes a staged folder that no commit will publish. A partition set aside with no journal
   * left (by versions before the journal) goes back if its partition is missing.
   */
  private void cleanUp(String table, Path folder, LocalDate snapshot, Predicate<String> ours) throws IOException {
    String name = folder.getName();
    String prefix = name.startsWith(STAGING) ? STAGING : name.startsWith(REPLACED) ? REPLACED : null;
    Optional<LocalDate> of = prefix == null ? Optional.empty() : date(name.substring(prefix.length()));
    if (of.isEmpty() || (snapshot != null && !of.get().equals(snapshot)) || ours.test(name) || warehouse.leasedByOther(of.get())) {
      return;
    }
    if (prefix.equals(STAGING)) {
      fs.delete(folder, true);
    } else if (fs.exists(partition(table, of.get()))) {
      fs.delete(folder, true);
    } else {
      rename(folder, partition(table, of.get()));
    }
  }

  /** The date a name starts with, {@code YYYY-MM-DD}, if it does. */
  static Optional<LocalDate> date(String name) {
    if (name.length() < 10) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(name.substring(0, 10)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename of " + from + " to " + to + " returned false");
    }
  }

  private String read(Path file) throws IOException {
    try (FSDataInputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
