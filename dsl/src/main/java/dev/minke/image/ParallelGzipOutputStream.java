package dev.minke.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed by several threads whose bytes do not depend on the thread count.
 *
 * <p>As pigz does, the input is cut into blocks of a fixed {@value #BLOCK_BYTES} bytes; each is
 * deflated on its own, primed with the 32 KiB before it as dictionary, and ended with a sync
 * flush (the last one with finish), so the pieces join into one deflate stream inside one gzip
 * member. A block's output depends only on its bytes and the bytes before it, never on which
 * thread or when it ran. At most {@code 2 × threads} blocks are in flight, which bounds memory.
 * With one thread the blocks are compressed on the caller's thread.
 */
final class ParallelGzipOutputStream extends OutputStream {
  /** Fixed, never derived from the core count: the output must be the same on every machine. */
  static final int BLOCK_BYTES = 128 * 1024;
  /** The deflate window: the most a block can refer back into the previous one. */
  static final int DICTIONARY_BYTES = 32 * 1024;

  /**
   * Magic, deflate, no flags, mtime 0, no extra flags, OS 255 ("unknown", as Go's gzip writes):
   * no field depends on the host or the clock.
   */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255};

  private static final AtomicInteger STREAMS = new AtomicInteger();

  private final OutputStream out;
  private final ExecutorService workers;
  private final BlockingQueue<Deflater> deflaters;
  private final ArrayDeque<Future<Compressed>> pending = new ArrayDeque<>();
  private final int maxPending;
  private final CRC32 crc = new CRC32();
  private long inputBytes;
  private byte[] block = new byte[BLOCK_BYTES];
  private int filled;
  private byte[] previous;
  private boolean finished;

  ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.out = out;
    this.deflaters = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      deflaters.add(new Deflater(level, true)); // raw deflate: the gzip framing is ours
    }
    this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads, daemonThreads());
    this.maxPending = 2 * threads;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (finished) {
      throw new IOException("gzip stream already finished");
    }
    crc.update(bytes, offset, length);
    inputBytes += length;
    while (length > 0) {
      // A full block is sent only once more input arrives: the last block must be marked last.
      if (filled == BLOCK_BYTES) {
        submit(false);
      }
      int n = Math.min(length, BLOCK_BYTES - filled);
      System.arraycopy(bytes, offset, block, filled, n);
      filled += n;
      offset += n;
      length -= n;
    }
  }

  /** Flushes what is already compressed; it does not cut a block, which would change the bytes. */
  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Compresses the rest, writes the gzip trailer and stops the workers; keeps {@code out} open. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      submit(true);
      while (!pending.isEmpty()) {
        writeNext();
      }
      writeIntLe((int) crc.getValue());
      writeIntLe((int) inputBytes); // ISIZE is the length modulo 2^32 (RFC 1952)
    } finally {
      release();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  /** Stops the workers after a failure elsewhere; the stream is unusable afterwards. */
  void abort() {
    finished = true;
    release();
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = filled;
    byte[] dictionary = previous;
    Callable<Compressed> task = () -> compress(dictionary, data, length, last);
    if (workers == null) {
      write(call(task));
    } else {
      while (pending.size() >= maxPending) {
        writeNext();
      }
      pending.add(workers.submit(task));
      while (!pending.isEmpty() && pending.peek().isDone()) {
        writeNext();
      }
    }
    previous = data;
    block = new byte[BLOCK_BYTES];
    filled = 0;
  }

  private Compressed compress(byte[] dictionary, byte[] data, int length, boolean last)
      throws InterruptedException {
    Deflater deflater = deflaters.take();
    try {
      deflater.reset();
      if (dictionary != null) {
        deflater.setDictionary(dictionary, BLOCK_BYTES - DICTIONARY_BYTES, DICTIONARY_BYTES);
      }
      deflater.setInput(data, 0, length);
      if (last) {
        deflater.finish();
      }
      byte[] buffer = new byte[length + (length >> 3) + 64];
      int size = 0;
      while (true) {
        if (size == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int space = buffer.length - size;
        int n = deflater.deflate(buffer, size, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
        size += n;
        // Done when finished (last block) or when a sync flush left room in the buffer.
        if (last ? deflater.finished() : n < space && deflater.needsInput()) {
          return new Compressed(buffer, size);
        }
      }
    } finally {
      deflaters.add(deflater);
    }
  }

  private void writeNext() throws IOException {
    Future<Compressed> next = pending.poll();
    try {
      write(next.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  private void write(Compressed compressed) throws IOException {
    out.write(compressed.bytes, 0, compressed.length);
  }

  private static Compressed call(Callable<Compressed> task) throws IOException {
    try {
      return task.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (Exception e) {
      throw rethrow(e);
    }
  }

  private static IOException rethrow(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(cause);
  }

  private void release() {
    if (workers != null) {
      workers.shutdownNow();
    }
    // Deflaters hold native zlib memory; free it now rather than at GC.
    Deflater d;
    while ((d = deflaters.poll()) != null) {
      d.end();
    }
  }

  private void writeIntLe(int value) throws IOException {
    out.write(value & 0xff);
    out.write((value >>> 8) & 0xff);
    out.write((value >>> 16) & 0xff);
    out.write((value >>> 24) & 0xff);
  }

  private static ThreadFactory daemonThreads() {
    int stream = STREAMS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "minke-gzip-" + stream + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private record Compressed(byte[] bytes, int length) {}
}
