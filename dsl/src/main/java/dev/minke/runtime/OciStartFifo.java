package dev.minke.runtime;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The reading side of minke-init's {@code start_fifo=} (runc's exec.fifo): opening the FIFO for
 * reading lets the waiting container process go on to exec; it writes one byte first and its
 * write end closes at exec, so reading to EOF means "exec'd" (or failed to), and EOF without the
 * byte means the process died before it got there.
 */
final class OciStartFifo {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private OciStartFifo() {}

  /**
   * Releases the container waiting on {@code fifo}.
   *
   * @param alive whether the container process is still there; polled, since a reader of a FIFO
   *     nobody will ever write blocks forever
   * @return true when it was released, false when it had died first
   */
  static boolean release(Path fifo, BooleanSupplier alive) throws IOException, InterruptedException {
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      // Not readAllBytes: on JDK 17 it asks a FileInputStream for its position, which a FIFO has not.
      try (FileInputStream in = new FileInputStream(fifo.toFile())) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[64];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          bytes.write(buffer, 0, n);
        }
        read.complete(bytes.toByteArray());
      } catch (IOException | RuntimeException e) {
        read.completeExceptionally(e);
      }
    }, "minke-start-fifo");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    boolean unblocked = false;
    while (true) {
      try {
        return read.get(20, TimeUnit.MILLISECONDS).length > 0;
      } catch (TimeoutException e) {
        if (!unblocked && !alive.getAsBoolean()) {
          // No writer will come: be the writer, so that the reader sees EOF.
          new FileOutputStream(fifo.toFile()).close();
          unblocked = true;
        } else if (System.nanoTime() > deadline) {
          reader.interrupt();
          throw new IOException("the container did not exec within 60 s of opening " + fifo);
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new UncheckedIOException(new IOException("reading " + fifo, e.getCause()));
      }
    }
  }
}
