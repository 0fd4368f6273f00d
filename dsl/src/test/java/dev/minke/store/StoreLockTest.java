package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {
  @TempDir Path dir;

  /** Runs {@code action} in another thread and says whether it finished within {@code millis}. */
  private static boolean finishesWithin(ExecutorService pool, Runnable action, long millis, CountDownLatch done)
      throws Exception {
    pool.submit(() -> {
      action.run();
      done.countDown();
    });
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  @Test
  void shared_manyHoldersAtOnce() throws Exception {
    StoreLock lock = StoreLock.of(dir.resolve("x.lock"));
    ExecutorService pool = Executors.newCachedThreadPool();
    try (StoreLock.Lease first = lock.shared()) {
      CountDownLatch done = new CountDownLatch(1);
      assertTrue(finishesWithin(pool, () -> lock.shared().close(), 5000, done));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void exclusive_waitsForSharedHolders_thenRuns() throws Exception {
    StoreLock lock = StoreLock.of(dir.resolve("x.lock"));
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      CountDownLatch done = new CountDownLatch(1);
      try (StoreLock.Lease shared = lock.shared()) {
        assertFalse(finishesWithin(pool, () -> lock.exclusive().close(), 300, done));
      }
      assertTrue(done.await(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shared_waitsForExclusiveHolder() throws Exception {
    StoreLock lock = StoreLock.of(dir.resolve("x.lock"));
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      CountDownLatch sharedDone = new CountDownLatch(1);
      CountDownLatch exclusiveDone = new CountDownLatch(1);
      try (StoreLock.Lease exclusive = lock.exclusive()) {
        assertFalse(finishesWithin(pool, () -> lock.shared().close(), 300, sharedDone));
        assertFalse(finishesWithin(pool, () -> lock.exclusive().close(), 300, exclusiveDone));
      }
      assertTrue(sharedDone.await(10, TimeUnit.SECONDS));
      assertTrue(exclusiveDone.await(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoLockObjectsOnOneFile_behaveAsOne() throws Exception {
    // Two Store values on one home in one JVM each make their own StoreLock for the same file.
    StoreLock a = StoreLock.of(dir.resolve("x.lock"));
    StoreLock b = StoreLock.of(dir.resolve("x.lock"));
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      StoreLock.Lease shared = a.shared();
      try (StoreLock.Lease alsoShared = b.shared()) {
        // Both shared: fine.
      }
      CountDownLatch done = new CountDownLatch(1);
      assertFalse(finishesWithin(pool, () -> b.exclusive().close(), 300, done));
      shared.close();
      assertTrue(done.await(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void exclusive_whileThisThreadHoldsShared_failsInsteadOfHanging() {
    StoreLock lock = StoreLock.of(dir.resolve("x.lock"));
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try (StoreLock.Lease shared = lock.shared()) {
        assertThrows(IllegalStateException.class, lock::exclusive);
      }
      lock.exclusive().close();
    });
  }

  @Test
  void close_twice_releasesOnce() throws Exception {
    StoreLock lock = StoreLock.of(dir.resolve("x.lock"));
    StoreLock.Lease first = lock.shared();
    StoreLock.Lease second = lock.shared();
    first.close();
    first.close(); // Must not release the second holder's share.
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      CountDownLatch done = new CountDownLatch(1);
      assertFalse(finishesWithin(pool, () -> lock.exclusive().close(), 300, done));
      second.close();
      assertTrue(done.await(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }
}
