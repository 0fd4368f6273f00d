package dev.minke.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs each JShell snippet in this JVM on a thread of its own and keeps the value it produced
 * as a live object, so the kernel can render an {@code Image} itself rather than its {@code
 * toString()} (the IJava/JJava pattern). JShell gets a key in place of the value's text and the
 * kernel takes the object with {@link #takeResult}.
 *
 * <p>Why a thread per snippet: an interrupt must reach the user's code, not the kernel's socket
 * loop (an interrupted JeroMQ thread closes its channels). {@link #interrupt()} interrupts the
 * snippet's thread, and the snippet ends the way Minke's engine ends an interrupted build or
 * run: by stopping its containers, discarding the unfinished layer and throwing an exception
 * that says where it stopped. Code that ignores interrupts (a busy loop) is abandoned after a
 * grace period and the cell fails with that explanation; it keeps running until the kernel is
 * restarted.
 */
final class LiveExecutionControl extends DirectExecutionControl {
  static final String KEY_PREFIX = "minke-result-";

  private final Map<String, Object> results = new ConcurrentHashMap<>();
  private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final long abandonAfterMillis;
  private volatile Thread running;
  private volatile long interruptedAtNanos;

  LiveExecutionControl(long abandonAfterMillis) {
    this.abandonAfterMillis = abandonAfterMillis;
  }

  @Override
  protected String invoke(Method doit) throws Exception {
    String key = KEY_PREFIX + counter.incrementAndGet();
    FutureTask<Object> task = new FutureTask<>(() -> doit.invoke(null));
    Thread thread = new Thread(task, "minke-cell-" + counter.get());
    thread.setDaemon(true);
    interruptedAtNanos = 0;
    running = thread;
    thread.start();
    try {
      Object value = await(task);
      results.put(key, value == null ? NullValue.INSTANCE : value);
      return key;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvocationTargetException thrown) {
        failures.put(key, thrown.getCause());
        throw thrown; // DirectExecutionControl turns it into the user's exception for JShell.
      }
      throw e;
    } finally {
      running = null;
    }
  }

  private Object await(FutureTask<Object> task) throws ExecutionException, InterruptedException {
    while (true) {
      try {
        return task.get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        long interruptedAt = interruptedAtNanos;
        if (interruptedAt != 0
            && System.nanoTime() - interruptedAt > TimeUnit.MILLISECONDS.toNanos(abandonAfterMillis)) {
          throw new ExecutionException(new InvocationTargetException(new CellNotStoppedException(abandonAfterMillis)));
        }
      }
    }
  }

  /** Interrupts the snippet that is running, if any. */
  @Override
  public void stop() {
    interrupt();
  }

  void interrupt() {
    Thread thread = running;
    if (thread != null) {
      interruptedAtNanos = System.nanoTime();
      thread.interrupt();
    }
  }

  /** The live value a snippet produced, by the key JShell reported as its value. */
  Object takeResult(String key) {
    Object value = results.remove(key);
    return value == NullValue.INSTANCE ? null : value;
  }

  boolean hasResult(String key) {
    return key != null && results.containsKey(key);
  }

  /** The exception the snippet most recently failed with (JShell only keeps its text). */
  Throwable lastFailure() {
    return failures.values().stream().reduce((a, b) -> b).orElse(null);
  }

  /** Forgets what the last cell left behind: values nobody took (declarations) and failures. */
  void clearCell() {
    results.clear();
    failures.clear();
  }

  /** Stands in for a null value in the result map. */
  private enum NullValue { INSTANCE }
}
