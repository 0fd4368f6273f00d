package dev.minke.store;

import dev.minke.os.Interrupts;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;

/**
 * Runs one task per blob on {@code jobs} threads; the first failure cancels the rest and is
 * thrown. An interrupt of the caller cancels every task, waits for them to end and throws {@link
 * Interrupted} with the interrupt status clear.
 */
final class ParallelTransfers {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private ParallelTransfers() {}

  /**
   * Set when the transfers are to stop (the caller was interrupted, or another blob failed).
   * Tasks check it between chunks: an interrupt alone does not stop them, since the JDK's HTTP
   * body stream (Java 17) swallows interrupts and keeps reading.
   */
  static final class Cancellation {
    private volatile boolean cancelled;

    /** Throws {@link CancellationException} once the transfers are cancelled. */
    void check() {
      if (cancelled) {
        throw new CancellationException("transfer cancelled");
      }
    }
  }

  static <I, O> List<O> run(List<I> inputs, int jobs, BiFunction<I, Cancellation, O> task) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    Cancellation cancellation = new Cancellation();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, inputs.size()), runnable -> {
      Thread thread = new Thread(runnable, "minke-transfer-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<O>> futures = new ArrayList<>();
      for (I input : inputs) {
        futures.add(pool.submit(() -> task.apply(input, cancellation)));
      }
      List<O> results = new ArrayList<>();
      for (Future<O> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      // Clear now (the exception did), set again by the caller once its operation has rolled back.
      throw new Interrupted(e);
    } finally {
      cancellation.cancelled = true; // each transfer stops at its next chunk
      pool.shutdownNow(); // and one waiting for a response or a retry stops at once
      // Writers still open in cancelled tasks close (and delete their temp files) before the
      // operation rolls back; an interrupted caller waits too.
      Interrupts.awaitTermination(pool, Duration.ofSeconds(30));
    }
  }

  /** The caller's thread was interrupted while the transfers ran; they have all ended. */
  static final class Interrupted extends RuntimeException {
    Interrupted(InterruptedException cause) {
      super("interrupted while transferring blobs", cause, false, false);
    }
  }

  /**
   * What a pull or push that failed with {@code failure} throws: a {@link
   * TransferInterruptedException} (with the interrupt status set again) when its thread was
   * interrupted, else {@code failure} itself.
   */
  static RuntimeException whenInterrupted(RuntimeException failure, TransferInterruptedException.Direction direction,
      String reference) {
    if (failure instanceof TransferInterruptedException || !(failure instanceof Interrupted
        || Interrupts.interruptedBy(failure))) {
      return failure;
    }
    Thread.currentThread().interrupt();
    return new TransferInterruptedException(direction, reference, failure.getCause() != null ? failure.getCause() : failure);
  }

  /** A store write that failed on disk, as the store reports it. */
  static StoreIOException storeError(String what, Store store, UncheckedIOException e) {
    return new StoreIOException(what, store.home(), e.getCause());
  }
}
