package dev.minke.store;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs one task per blob on {@code jobs} threads; the first failure cancels the rest and is thrown. */
final class ParallelTransfers {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private ParallelTransfers() {}

  static <I, O> List<O> run(List<I> inputs, int jobs, Function<I, O> task) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, inputs.size()), runnable -> {
      Thread thread = new Thread(runnable, "minke-transfer-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<O>> futures = new ArrayList<>();
      for (I input : inputs) {
        futures.add(pool.submit(() -> task.apply(input)));
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
      Thread.currentThread().interrupt();
      throw new dev.minke.error.MinkeException("interrupted while transferring blobs", "", e);
    } finally {
      pool.shutdownNow();
      try {
        // Writers still open in cancelled tasks close (and delete their temp files) before the
        // operation rolls back.
        pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A store write that failed on disk, as the store reports it. */
  static StoreIOException storeError(String what, Store store, UncheckedIOException e) {
    return new StoreIOException(what, store.home(), e.getCause());
  }
}
