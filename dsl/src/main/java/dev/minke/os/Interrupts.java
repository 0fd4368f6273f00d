package dev.minke.os;

import dev.minke.error.InterruptedOperationException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Helpers for code that must clean up after its thread was interrupted: the cleanup's own waits
 * (a process's exit, a pool's end, a short sleep) would throw at once while the interrupt status
 * is set, so they run with it cleared, and it is set again afterwards for the caller to see.
 */
public final class Interrupts {
  private Interrupts() {}

  /**
   * Throws {@link InterruptedOperationException} if this thread is interrupted, leaving the
   * status set: for long loops that do no interruptible I/O (walking a big tree), whose caller
   * turns it into its own interrupt exception.
   */
  public static void checkpoint(String doing) {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedOperationException("interrupted while " + doing, "");
    }
  }

  /** Runs {@code cleanup} with the interrupt status cleared, then restores it if it was set. */
  public static void cleanUp(Runnable cleanup) {
    cleanUp(() -> {
      cleanup.run();
      return null;
    });
  }

  /** As {@link #cleanUp(Runnable)}, returning the cleanup's value. */
  public static <T> T cleanUp(Supplier<T> cleanup) {
    boolean interrupted = Thread.interrupted();
    try {
      return cleanup.get();
    } finally {
      if (interrupted || Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits up to {@code timeout} for {@code process} to end, even on an interrupted thread. */
  public static boolean awaitExit(Process process, Duration timeout) {
    return cleanUp(() -> {
      try {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !process.isAlive();
      }
    });
  }

  /** Waits up to {@code timeout} for {@code thread} to end, even on an interrupted thread. */
  public static boolean awaitEnd(Thread thread, Duration timeout) {
    return cleanUp(() -> {
      try {
        thread.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return !thread.isAlive();
    });
  }

  /**
   * Waits up to {@code timeout} for the tasks of a shut-down {@code pool} to end, even on an
   * interrupted thread, so that what they clean up is cleaned before the caller goes on.
   */
  public static boolean awaitTermination(ExecutorService pool, Duration timeout) {
    return cleanUp(() -> {
      try {
        return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return pool.isTerminated();
      }
    });
  }

  /**
   * Whether {@code failure} (or a cause of it) says its thread was interrupted: an {@link
   * InterruptedException}, an {@link InterruptedIOException}, a channel closed or a file lock wait ended by an interrupt.
   */
  public static boolean isInterrupt(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // A socket timeout is an InterruptedIOException too, but no thread was interrupted.
      boolean interruptedIo = t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException);
      if (t instanceof InterruptedException || interruptedIo || t instanceof ClosedByInterruptException
          || t instanceof FileLockInterruptionException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Whether this thread is interrupted, or {@code failure} says it was. */
  public static boolean interruptedBy(Throwable failure) {
    return Thread.currentThread().isInterrupted() || isInterrupt(failure);
  }
}
