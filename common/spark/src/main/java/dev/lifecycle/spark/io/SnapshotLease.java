package dev.lifecycle.spark.io;

import dev.lifecycle.core.LifecycleException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * One writer per snapshot: a run holds {@code _leases/<snapshot>.lease} under the warehouse while
 * it writes that snapshot. The file appears atomically, with its text in it (see {@link
 * #createExclusively}), names its holder (run id, command, host, process, start) and is renewed
 * by a heartbeat, its modification time, every quarter of the stale time. A lease not renewed for the stale time is taken over: renamed
 * aside (only one taker's rename succeeds), then created anew. Closing releases it.
 */
public final class SnapshotLease implements AutoCloseable {
  static final String DIR = "_leases";
  private static final Duration POLL = Duration.ofSeconds(1);
  /** The host and process in a lease's text. */
  private static final Pattern HOLDER = Pattern.compile(" on (.+), process (\\d+),");

  private final FileSystem fs;
  private final Path file;
  private final String runId;
  private final ScheduledExecutorService heartbeat;

  private SnapshotLease(FileSystem fs, Path file, String runId, Duration stale) {
    this.fs = fs;
    this.file = file;
    this.runId = runId;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "lease-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    long every = Math.max(1, stale.toMillis() / 4);
    heartbeat.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** The lease file of a snapshot under a warehouse root. */
  static Path file(Path root, LocalDate snapshot) {
    return new Path(new Path(root, DIR), snapshot + ".lease");
  }

  /**
   * Takes the snapshot's lease for {@code runId}, waiting up to {@code wait} while another run
   * holds it; then exit 2, naming the holder.
   */
  static SnapshotLease acquire(
      FileSystem fs, Path root, LocalDate snapshot, String runId, String command, Duration stale, Duration wait) {
    Path file = file(root, snapshot);
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      fs.mkdirs(file.getParent());
      while (true) {
        if (createExclusively(fs, file, holder(runId, command))) {
          return new SnapshotLease(fs, file, runId, stale);
        }
        FileStatus status;
        try {
          status = fs.getFileStatus(file);
        } catch (java.io.FileNotFoundException released) {
          continue;
        }
        Duration age = Duration.ofMillis(System.currentTimeMillis() - status.getModificationTime());
        String holder = read(fs, file);
        if (holder.isEmpty()) {
          continue; // released between the two looks: try again
        }
        if (age.compareTo(stale) > 0 || deadOnThisHost(holder)) {
          // Stale: set aside by one taker only, then created anew by the loop.
          Path aside = new Path(file.getParent(), file.getName() + ".stale-" + runId);
          if (fs.rename(file, aside)) {
            fs.delete(aside, false);
          }
          continue;
        }
        if (System.nanoTime() > deadline) {
          throw LifecycleException.config(
              "Cannot write snapshot " + snapshot + ": another run holds its lease " + fs.makeQualified(file) + " ("
                  + holder + ", renewed " + age.toSeconds() + " s ago); rerun when it ends, or with --wait");
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot take the lease " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the lease " + file, e);
    }
  }

  /** Whether a lease on the snapshot is live and held by another run than {@code runId}. */
  static boolean heldByOther(FileSystem fs, Path root, LocalDate snapshot, String runId, Duration stale) {
    Path file = file(root, snapshot);
    try {
      FileStatus status = fs.getFileStatus(file);
      boolean live = System.currentTimeMillis() - status.getModificationTime() <= stale.toMillis();
      String holder = read(fs, file);
      return live && !holder.startsWith("run " + runId + " ") && !deadOnThisHost(holder);
    } catch (java.io.FileNotFoundException free) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the lease " + file + ": " + e.getMessage(), e);
    }
  }

  /** Releases the lease, if it is still this run's. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      if (fs.exists(file) && read(fs, file).startsWith("run " + runId + " ")) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot release the lease " + file + ": " + e.getMessage(), e);
    }
  }

  private void renew() {
    try {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // The next beat tries again; a lease that goes stale is the holder's loss, not a crash.
    }
  }

  /**
   * Whether the holder ran on this host in a process that is gone (a driver killed with -9): its
   * lease is as good as stale, so a retry need not wait for the stale time.
   */
  static boolean deadOnThisHost(String holder) {
    Matcher m = HOLDER.matcher(holder);
    return m.find()
        && m.group(1).equals(hostName())
        && ProcessHandle.of(Long.parseLong(m.group(2))).map(p -> !p.isAlive()).orElse(true);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  private static String holder(String runId, String command) {
    return "run " + runId + " of " + command + " on " + hostName() + ", process " + ProcessHandle.current().pid()
        + ", started " + Instant.now();
  }

  /**
   * Creates the lease file only if it does not exist, with its text already in it: the text is
   * written to a file of this taker's own and then published under the lease's name by an
   * operation that fails if the name is taken (a hard link on a local disk, a rename elsewhere, as
   * HDFS never renames onto an existing file). So no reader ever sees a lease without its holder.
   */
  private static boolean createExclusively(FileSystem fs, Path file, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path own = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID());
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path lease = new File(fs.makeQualified(file).toUri()).toPath();
      java.nio.file.Path written = new File(fs.makeQualified(own).toUri()).toPath();
      Files.write(written, bytes);
      try {
        Files.createLink(lease, written);
        return true;
      } catch (FileAlreadyExistsException taken) {
        return false;
      } finally {
        Files.deleteIfExists(written);
      }
    }
    try (OutputStream out = fs.create(own, true)) {
      out.write(bytes);
    }
    boolean taken = fs.rename(own, file);
    if (!taken) {
      fs.delete(own, false);
    }
    return taken;
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException gone) {
      return "";
    }
  }
}
