package dev.minke.os;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ends a process this JVM started, by its handle (never by name): SIGTERM, then SIGKILL. */
public final class ChildProcesses {
  private ChildProcesses() {}

  /**
   * Sends SIGTERM, waits up to {@code grace}, then SIGKILL and waits for the exit. Keeps the
   * caller's interrupt status; an interrupted caller still gets the process killed.
   */
  public static void stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    boolean interrupted = Thread.interrupted();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      process.destroyForcibly();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
