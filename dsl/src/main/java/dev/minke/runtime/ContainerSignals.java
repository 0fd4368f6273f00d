package dev.minke.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Signals, waits for and stops running containers, from any JVM: everything needed is in the
 * record (the monitor's PID and start time, the container's PID) and the cgroup named after it.
 *
 * <p>Where a signal goes: SIGKILL to every process of the container's cgroup ({@link
 * CgroupHandle#killAll}, which also takes the monitor: exit 137); the signals minke-init
 * forwards (TERM, INT, HUP, QUIT, USR1, USR2) to the monitor, which passes them to the
 * container's PID 1; any other signal straight to the container's PID 1, once its parent is
 * checked to be the monitor. The monitor's start time is checked before any signal, so a PID
 * reused by another process is never signalled.
 */
final class ContainerSignals {
  static final int SIGTERM = 15;
  static final int SIGKILL = Signals.SIGKILL;
  /** What minke-init forwards to the container: SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM. */
  private static final Set<Integer> FORWARDED = Set.of(1, 2, 3, 10, 12, 15);
  private static final long POLL_MILLIS = 10;

  private ContainerSignals() {}

  /**
   * Sends {@code signal} to a running container.
   *
   * @return false when the container had ended already
   */
  static boolean send(ContainerStore records, ContainerRecord record, int signal) {
    if (signal < 1 || signal > 64) {
      throw new IllegalArgumentException("signal must be 1 to 64, not " + signal);
    }
    if (!ContainerReaper.monitorAlive(record)) {
      return false;
    }
    boolean javaCgroups = ContainerReaper.usesJavaCgroups(record);
    if (!javaCgroups && (signal == SIGKILL || signal == 19)) {
      try {
        OciCliBackend.kill(record.backend(), records.dir(record.id()), record.id(), signal);
        return true;
      } catch (IOException e) {
        return false; // runc says it is not running
      }
    }
    if (signal == SIGKILL) {
      CgroupHandle cgroup = Cgroups.detect().open(record.id());
      if (cgroup.procsFiles().isEmpty()) {
        // No cgroups here: the container dies with its monitor (PR_SET_PDEATHSIG).
        return Signals.send(record.monitorPid(), SIGKILL);
      }
      cgroup.killAll(SIGKILL);
      return true;
    }
    if (FORWARDED.contains(signal) || !javaCgroups) {
      return Signals.send(record.monitorPid(), signal);
    }
    Optional<ProcStat> pid1 = ProcStat.of(record.containerPid());
    if (pid1.isEmpty() || pid1.get().parentPid() != record.monitorPid()) {
      return false;
    }
    return Signals.send(record.containerPid(), signal);
  }

  /** Waits up to {@code timeout} for the monitor to end; true when it has. */
  static boolean awaitMonitorExit(ContainerRecord record, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ContainerReaper.monitorAlive(record)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      sleep(record);
    }
    return true;
  }

  /** A short pause between two looks at a container; {@link WaitInterruptedException} if interrupted. */
  static void sleep(ContainerRecord record) {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaitInterruptedException(record.name(), "to end");
    }
  }
}
