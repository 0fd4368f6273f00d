package dev.minke.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A reader/writer lock over one lock file, held across threads and across JVMs.
 *
 * <p>File locks belong to the whole JVM (a second lock on the same file from this JVM throws), so
 * threads meet on a {@link ReentrantReadWriteLock} first and only the first shared holder, or the
 * one exclusive holder, takes the file lock. For the same reason there is one {@code StoreLock}
 * per lock file in a JVM ({@link #of}): two {@code Store} values opened on one directory must
 * meet on the same thread lock, or the second file lock throws {@code
 * OverlappingFileLockException}.
 */
final class StoreLock {
  private static final ConcurrentMap<Path, StoreLock> BY_FILE = new ConcurrentHashMap<>();

  private final Path lockFile;
  private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
  private final Object fileLockGuard = new Object();
  private FileChannel channel;
  private FileLock fileLock;
  private int sharedHolders;

  private StoreLock(Path lockFile) {
    this.lockFile = lockFile;
  }

  /** The one lock of this JVM on {@code lockFile}. */
  static StoreLock of(Path lockFile) {
    return BY_FILE.computeIfAbsent(lockFile.toAbsolutePath().normalize(), StoreLock::new);
  }

  /** Whether the calling thread holds this lock, shared or exclusive. */
  boolean heldByCurrentThread() {
    return threads.getReadHoldCount() > 0 || threads.isWriteLockedByCurrentThread();
  }

  /** A held lock; closing releases it. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** Many holders at once, in this JVM and others (builds, pulls, reads of the index). */
  Lease shared() {
    threads.readLock().lock();
    try {
      synchronized (fileLockGuard) {
        if (sharedHolders == 0) {
          acquireFileLock(true);
        }
        sharedHolders++;
      }
    } catch (RuntimeException e) {
      threads.readLock().unlock();
      throw e;
    }
    return once(() -> {
      synchronized (fileLockGuard) {
        if (--sharedHolders == 0) {
          releaseFileLock();
        }
      }
      threads.readLock().unlock();
    });
  }

  /** One holder in all JVMs (garbage collection, index rewrites). */
  Lease exclusive() {
    if (heldByCurrentThread()) {
      // A read lock cannot be upgraded: waiting here would wait for ourselves forever.
      throw new IllegalStateException(
          "this thread already holds " + lockFile + "; finish its store operation first");
    }
    threads.writeLock().lock();
    try {
      synchronized (fileLockGuard) {
        acquireFileLock(false);
      }
    } catch (RuntimeException e) {
      threads.writeLock().unlock();
      throw e;
    }
    return once(() -> {
      synchronized (fileLockGuard) {
        releaseFileLock();
      }
      threads.writeLock().unlock();
    });
  }

  /** A lease that releases on the first close only: a second close must not free another holder. */
  private static Lease once(Runnable release) {
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release.run();
      }
    };
  }

  private void acquireFileLock(boolean shared) {
    try {
      channel =
          FileChannel.open(
              lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      fileLock = channel.lock(0, Long.MAX_VALUE, shared);
    } catch (IOException e) {
      closeQuietly();
      throw new StoreIOException("locking", lockFile, e);
    }
  }

  private void releaseFileLock() {
    try {
      if (fileLock != null) {
        fileLock.release();
      }
    } catch (IOException ignored) {
      // Closing the channel below releases the lock in any case.
    } finally {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // Nothing left to release.
    }
    channel = null;
    fileLock = null;
  }
}
