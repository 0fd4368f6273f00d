package dev.minke.runtime;

import dev.minke.os.Interrupts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Ends what an interrupted caller had running in the foreground: SIGTERM first, and after a
 * grace SIGKILL to every process, then waits for the monitor to be gone. Runs on the interrupted
 * thread with its interrupt status cleared (the caller restores it), so its own waits work.
 */
final class ProcessStop {
  /** A build step's container: nobody needs it to shut down cleanly. */
  static final Duration BUILD_GRACE = Duration.ofMillis(300);
  /** An attached {@code run} or {@code exec}: a short {@code docker stop}. */
  static final Duration RUN_GRACE = Duration.ofSeconds(2);
  private static final Duration KILLED_WAIT = Duration.ofSeconds(10);
  private static final int SIGTERM = 15;

  private ProcessStop() {}

  /**
   * Stops a whole container: SIGTERM to its PID 1 (minke-init forwards it; runc/crun through
   * {@code kill}), then SIGKILL to every process of its cgroup.
   */
  static void container(ContainerProcess process, RuntimeBackend backend, CgroupHandle cgroup, Path containerDir,
      String id, Duration grace) {
    Interrupts.cleanUp(() -> {
      if (!process.monitor().isAlive()) {
        return;
      }
      signal(process, backend, containerDir, id, SIGTERM);
      if (Interrupts.awaitExit(process.monitor(), grace)) {
        return;
      }
      if (backend.managesCgroups()) {
        signal(process, backend, containerDir, id, Signals.SIGKILL);
      } else if (!cgroup.procsFiles().isEmpty()) {
        try {
          cgroup.killAll(Signals.SIGKILL);
        } catch (CgroupException e) {
          killTree(process); // the cgroup would not empty: kill what the process tree still holds
        }
      }
      killTree(process); // without cgroups the container dies with its monitor (PR_SET_PDEATHSIG)
      Interrupts.awaitExit(process.monitor(), KILLED_WAIT);
    });
  }

  /**
   * Stops a process run in a container ({@code exec}): SIGTERM to it, then SIGKILL to it and its
   * descendants. The container's other processes are left alone.
   */
  static void exec(ContainerProcess process, Duration grace) {
    Interrupts.cleanUp(() -> {
      if (!process.monitor().isAlive()) {
        return;
      }
      Signals.send(process.monitorPid(), SIGTERM);
      if (!Interrupts.awaitExit(process.monitor(), grace)) {
        killTree(process);
        Interrupts.awaitExit(process.monitor(), KILLED_WAIT);
      }
    });
  }

  private static void signal(ContainerProcess process, RuntimeBackend backend, Path containerDir, String id,
      int signal) {
    if (!backend.managesCgroups()) {
      Signals.send(process.monitorPid(), signal);
      return;
    }
    try {
      OciCliBackend.kill(backend.name(), containerDir, id, signal);
    } catch (IOException e) {
      // Not running any more (or not yet): the monitor's end is what is awaited.
    }
  }

  /** SIGKILL to the monitor's descendants, then to the monitor. */
  private static void killTree(ContainerProcess process) {
    process.monitor().descendants().forEach(ProcessHandle::destroyForcibly);
    process.monitor().destroyForcibly();
  }
}
