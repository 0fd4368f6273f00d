package dev.minke.runtime;

import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings records up to date with the processes: a RUNNING container whose monitor is gone (its
 * PID is dead, a zombie, or now another process with a different start time) becomes EXITED.
 * The exit code is the one the detached wrapper wrote ({@link DetachedMonitor}); the OOM flag
 * comes from the cgroup, which is then removed; a runc/crun container is deleted from the
 * runtime and its root filesystem unmounted. This is also how a JVM cleans up after one killed
 * with -9: the first look at the records finds and finishes what it left.
 *
 * <p>Reaping takes a file lock on the container (one JVM at a time) and reads the record again
 * under it, so two JVMs looking at once reap a container once.
 */
final class ContainerReaper {
  /** Docker's code for a container whose end it did not see (daemon crash, host reboot). */
  static final int UNKNOWN_EXIT = 255;
  /** How long the wrapper may take to write the status after the monitor ended. */
  private static final long STATUS_WAIT_MILLIS = 2_000;
  private static final String LOCK_FILE = "state.lock";

  /** Containers this JVM runs attached: their {@link AttachedRun} records the end itself. */
  static final Set<String> ATTACHED_HERE = ConcurrentHashMap.newKeySet();
  private static final Object JVM_LOCK = new Object(); // file locks are per JVM, not per thread

  private final ContainerStore records;

  ContainerReaper(ContainerStore records) {
    this.records = records;
  }

  /** Whether the record's monitor is the process it started as and still runs. */
  static boolean monitorAlive(ContainerRecord record) {
    return ProcStat.alive(record.monitorPid(), record.monitorStartTicks());
  }

  /** The record as it is now: reaped if its monitor has ended. */
  ContainerRecord refresh(ContainerRecord record) {
    if (record.state() != ContainerRecord.State.RUNNING || monitorAlive(record)
        || ATTACHED_HERE.contains(record.id())) {
      return record;
    }
    Path dir = records.dir(record.id());
    synchronized (JVM_LOCK) {
      try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        Optional<ContainerRecord> now = records.find(record.id());
        if (now.isEmpty() || now.get().state() != ContainerRecord.State.RUNNING || monitorAlive(now.get())) {
          return now.orElse(record);
        }
        return reap(now.get());
      } catch (NoSuchFileException e) {
        return record; // Removed meanwhile.
      } catch (IOException e) {
        throw new StoreIOException("locking the state of container " + record.shortId() + " in", dir, e);
      }
    }
  }

  private ContainerRecord reap(ContainerRecord record) {
    Path dir = records.dir(record.id());
    StringBuilder problems = new StringBuilder();
    Optional<Integer> status = DetachedMonitor.isDetached(dir)
        ? DetachedMonitor.exitStatus(dir, STATUS_WAIT_MILLIS)
        : Optional.empty();
    if (status.isEmpty()) {
      problems.append("the monitor (pid ").append(record.monitorPid())
          .append(") ended without leaving an exit status: it was killed with its JVM or the host restarted");
    }
    setupError(dir).ifPresent(e -> append(problems, e));
    boolean oom = false;
    try {
      if (usesJavaCgroups(record)) {
        CgroupHandle cgroup = Cgroups.detect().open(record.id());
        oom = cgroup.oomKilled();
        cgroup.close(); // Kills stragglers, if any, then removes the directories.
      } else {
        OciCliBackend.cleanUp(record.backend(), dir, record.id());
      }
    } catch (CgroupException e) {
      append(problems, e.getMessage());
    }
    ContainerNetworking.release(dir, record.id());
    String finishedAt = DetachedMonitor.exitTime(dir).orElse(Instant.now()).toString();
    ContainerRecord exited = record.exited(status.orElse(UNKNOWN_EXIT), oom, finishedAt,
        problems.length() == 0 ? null : problems.toString());
    records.save(exited);
    return exited;
  }

  /** minke-init's containers are in cgroups Java made; runc and crun make their own. */
  static boolean usesJavaCgroups(ContainerRecord record) {
    return record.backend() == null || record.backend().equals("minke-init");
  }

  /** The step that failed, from minke-init's report (an exec that failed after the pid line). */
  private static Optional<String> setupError(Path dir) {
    try {
      return new String(Files.readAllBytes(dir.resolve("init.report")), StandardCharsets.UTF_8).lines()
          .filter(l -> l.startsWith("error ")).map(l -> l.substring(6)).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void append(StringBuilder problems, String problem) {
    problems.append(problems.length() == 0 ? "" : "; ").append(problem);
  }
}
