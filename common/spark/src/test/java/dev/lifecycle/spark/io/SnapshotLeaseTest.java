package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per snapshot, on the real local file system. */
class SnapshotLeaseTest {
  private static final LocalDate SNAPSHOT = LocalDate.of(2024, 1, 31);
  private static final Duration STALE = Duration.ofSeconds(60);

  @TempDir Path dir;

  private FileSystem fs() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  private org.apache.hadoop.fs.Path root() {
    return new org.apache.hadoop.fs.Path(dir.toUri());
  }

  /** Two runs started together, ten times: one takes the lease, the other is exit 2 naming it. */
  @Test
  void ofTwoRunsStartedTogetherOneWinsAndTheOtherNamesIt() throws Exception {
    FileSystem fs = fs();
    for (int trial = 0; trial < 10; trial++) {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Object>> runs = new ArrayList<>();
      for (String run : List.of("run-a" + trial, "run-b" + trial)) {
        runs.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                    return SnapshotLease.acquire(fs, root(), SNAPSHOT, run, "run", STALE, Duration.ZERO);
                  } catch (LifecycleException e) {
                    return e;
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      start.countDown();
      List<Object> outcomes = runs.stream().map(CompletableFuture::join).toList();
      List<SnapshotLease> won = outcomes.stream().filter(SnapshotLease.class::isInstance).map(SnapshotLease.class::cast).toList();
      List<LifecycleException> lost =
          outcomes.stream().filter(LifecycleException.class::isInstance).map(LifecycleException.class::cast).toList();
      assertThat(won).as("trial %d", trial).hasSize(1);
      assertThat(lost).singleElement().satisfies(e -> {
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).contains("Cannot write snapshot 2024-01-31: another run holds its lease", "of run on ");
      });
      won.get(0).close();
      assertThat(dir.resolve("_leases/2024-01-31.lease")).doesNotExist();
    }
  }

  @Test
  void aWaitingRunTakesTheLeaseWhenItIsReleased() throws Exception {
    FileSystem fs = fs();
    SnapshotLease first = SnapshotLease.acquire(fs, root(), SNAPSHOT, "first", "run", STALE, Duration.ZERO);
    CompletableFuture<SnapshotLease> second =
        CompletableFuture.supplyAsync(
            () -> SnapshotLease.acquire(fs, root(), SNAPSHOT, "second", "run", STALE, Duration.ofSeconds(30)));
    Thread.sleep(1500);
    assertThat(second).isNotDone();
    assertThat(SnapshotLease.heldByOther(fs, root(), SNAPSHOT, "second", STALE)).isTrue();
    first.close();
    try (SnapshotLease lease = second.get()) {
      assertThat(SnapshotLease.heldByOther(fs, root(), SNAPSHOT, "second", STALE)).isFalse();
      assertThat(SnapshotLease.heldByOther(fs, root(), SNAPSHOT, "first", STALE)).isTrue();
    }
  }

  @Test
  void aStaleLeaseIsTakenOver() throws Exception {
    FileSystem fs = fs();
    SnapshotLease dead = SnapshotLease.acquire(fs, root(), SNAPSHOT, "dead", "run", STALE, Duration.ZERO);
    Path file = dir.resolve("_leases/2024-01-31.lease");
    // A holder killed without a word stops renewing: its lease ages past the stale time.
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - STALE.toMillis() - 5_000));
    try (SnapshotLease taken = SnapshotLease.acquire(fs, root(), SNAPSHOT, "next", "run", STALE, Duration.ZERO)) {
      assertThat(Files.readString(file)).startsWith("run next of run on ");
      dead.close(); // the old holder's release leaves the new holder's lease alone
      assertThat(file).exists();
    }
    try (var leases = Files.list(dir.resolve("_leases"))) {
      assertThat(leases).isEmpty();
    }
  }

  @Test
  void theLeaseOfAKilledRunOnThisHostIsTakenAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String host = java.net.InetAddress.getLocalHost().getHostName();
    Path file = Files.createDirectories(dir.resolve("_leases")).resolve("2024-01-31.lease");
    // Fresh (just written), but its process is gone: a driver killed with -9.
    Files.writeString(file, "run killed of run on " + host + ", process " + gone.pid() + ", started 2024-01-31T00:00:00Z");
    try (SnapshotLease lease = SnapshotLease.acquire(fs(), root(), SNAPSHOT, "retry", "run", STALE, Duration.ZERO)) {
      assertThat(Files.readString(file)).startsWith("run retry of run on ");
    }
  }

  @Test
  void theHeartbeatKeepsALongRunsLeaseFresh() throws Exception {
    FileSystem fs = fs();
    Duration stale = Duration.ofSeconds(2);
    try (SnapshotLease lease = SnapshotLease.acquire(fs, root(), SNAPSHOT, "long", "run", stale, Duration.ZERO)) {
      Thread.sleep(3_000); // longer than the stale time: only the heartbeat keeps it live
      assertThat(SnapshotLease.heldByOther(fs, root(), SNAPSHOT, "other", stale)).isTrue();
    }
  }
}
