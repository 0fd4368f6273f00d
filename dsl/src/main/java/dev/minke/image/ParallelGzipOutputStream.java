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
 * thread or when it ran. At most {@link #PENDING_PER_THREAD} blocks per thread are in flight, which bounds memory.
 * With one thread the blocks are compressed on the caller's thread.
 */
final class ParallelGzipOutputStream extends OutputStream {
  /** Fixed, never derived from the core count: the output must be the same on every machine. */
  static final int BLOCK_BYTES = 128 * 1024;
  /** The deflate window: the most a block can refer back into the previous one. */
  static final int DICTIONARY_BYTES = 32 * 1024;
  /**
   * Blocks queued per thread. Enough slack that workers keep busy while the producing thread
   * is briefly descheduled (it reads files and hashes), yet bounded: about 2.2 MB per thread.
   */
  static final int PENDING_PER_THREAD = 8;

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
  private final int blockBytes;
  private byte[] block;
  private int filled;
  private byte[] dictionary;
  private final ArrayDeque<byte[]> freeBlocks = new ArrayDeque<>();
  private final ArrayDeque<byte[]> freeDictionaries = new ArrayDeque<>();
  private final ArrayDeque<byte[]> freeOutputs = new ArrayDeque<>();
  private boolean finished;

  ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this(out, level, threads, BLOCK_BYTES);
  }

  /** With another block size, for measurements only: layers always use {@link #BLOCK_BYTES}. */
  ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockBytes)
      throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.out = out;
    this.blockBytes = blockBytes;
    this.block = new byte[blockBytes];
    this.deflaters = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      deflaters.add(new Deflater(level, true)); // raw deflate: the gzip framing is ours
    }
    this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads, daemonThreads());
    this.maxPending = PENDING_PER_THREAD * threads;
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
      if (filled == blockBytes) {
        submit(false);
      }
      int n = Math.min(length, blockBytes - filled);
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
    Job job = new Job(block, filled, dictionary, last, take(freeOutputs, outputCapacity()));
    if (workers == null) {
      write(call(() -> compress(job)));
    } else {
      while (pending.size() >= maxPending) {
        writeNext();
      }
      pending.add(workers.submit(() -> compress(job)));
      while (!pending.isEmpty() && pending.peek().isDone()) {
        writeNext();
      }
    }
    if (!last) {
      // Copy the window now: the block itself is recycled once its own job is done.
      dictionary = take(freeDictionaries, DICTIONARY_BYTES);
      System.arraycopy(block, blockBytes - DICTIONARY_BYTES, dictionary, 0, DICTIONARY_BYTES);
      block = take(freeBlocks, blockBytes);
      filled = 0;
    }
  }

  private Compressed compress(Job job) throws InterruptedException {
    Deflater deflater = deflaters.take();
    try {
      deflater.reset();
      if (job.dictionary != null) {
        deflater.setDictionary(job.dictionary, 0, DICTIONARY_BYTES);
      }
      deflater.setInput(job.input, 0, job.length);
      if (job.last) {
        deflater.finish();
      }
      byte[] buffer = job.output;
      int size = 0;
      while (true) {
        if (size == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int space = buffer.length - size;
        int flush = job.last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH;
        int n = deflater.deflate(buffer, size, space, flush);
        size += n;
        // Done when finished (last block) or when a sync flush left room in the buffer.
        if (job.last ? deflater.finished() : n < space && deflater.needsInput()) {
          return new Compressed(job, buffer, size);
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
    // Recycle on this thread only: the pools need no locking and stay bounded.
    Job job = compressed.job;
    freeBlocks.add(job.input);
    if (job.dictionary != null) {
      freeDictionaries.add(job.dictionary);
    }
    if (compressed.bytes.length == outputCapacity()) {
      freeOutputs.add(compressed.bytes);
    }
  }

  private static byte[] take(ArrayDeque<byte[]> pool, int size) {
    byte[] buffer = pool.poll();
    return buffer != null ? buffer : new byte[size];
  }

  /** Room for a block's deflate output; incompressible input grows by well under 1/8. */
  private int outputCapacity() {
    return blockBytes + (blockBytes >> 3) + 64;
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

  /** One block to compress; {@code dictionary} is null for the first block. */
  private record Job(byte[] input, int length, byte[] dictionary, boolean last, byte[] output) {}

  private record Compressed(Job job, byte[] bytes, int length) {}
}
