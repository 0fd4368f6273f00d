package dev.minke.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Interrupts a call the way a notebook cell's interrupt does: the call runs on its own thread,
 * the test waits until the call has reached the point it wants (a latch its listener counts
 * down), then interrupts that thread and waits for the call to end.
 */
public final class Interruption {
  /** How the call ended: what it threw (null: it returned) and its thread's interrupt status. */
  public record Outcome(Throwable thrown, boolean interruptStatusSet) {}

  private static final Duration GENEROUS = Duration.ofMinutes(2);

  private Interruption() {}

  /** Runs {@code call}, interrupts it once {@code reached} is counted down, and waits for its end. */
  public static Outcome interruptWhen(CountDownLatch reached, Runnable call) throws InterruptedException {
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      Throwable thrown = null;
      try {
        call.run();
      } catch (Throwable t) {
        thrown = t;
      }
      outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted()));
    }, "interrupted-call");
    thread.start();
    boolean reachedInTime = reached.await(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    thread.interrupt();
    thread.join(GENEROUS.toMillis());
    if (thread.isAlive()) {
      throw new AssertionError("the interrupted call did not end within " + GENEROUS);
    }
    if (!reachedInTime) {
      throw new AssertionError("the call never reached the point to interrupt; it ended with " + outcome.get());
    }
    return outcome.get();
  }

  /** Runs {@code call}, interrupts it once {@code reached} holds (polled), and waits for its end. */
  public static Outcome interruptWhen(java.util.function.BooleanSupplier reached, Runnable call)
      throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    Thread poller = new Thread(() -> {
      while (!reached.getAsBoolean()) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
      latch.countDown();
    }, "interrupt-poller");
    poller.setDaemon(true);
    poller.start();
    try {
      return interruptWhen(latch, call);
    } finally {
      poller.interrupt();
    }
  }

  /**
   * The PIDs of this JVM's descendants whose command line is exactly {@code argv}: with a number
   * no other test uses ({@code sleep 4711}), the processes of this test's container only.
   */
  public static List<Long> descendantsRunning(List<String> argv) {
    String wanted = String.join("\0", argv);
    return ProcessHandle.current().descendants()
        .filter(p -> cmdline(p.pid()).equals(wanted))
        .map(ProcessHandle::pid).toList();
  }

  /** Waits (generously) until no descendant runs {@code argv}; true when none does. */
  public static boolean awaitGone(List<String> argv) throws InterruptedException {
    long deadline = System.nanoTime() + GENEROUS.toNanos();
    while (!descendantsRunning(argv).isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static String cmdline(long pid) {
    try {
      String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
      return raw.endsWith("\0") ? raw.substring(0, raw.length() - 1) : raw;
    } catch (IOException e) {
      return ""; // gone meanwhile
    }
  }
}
