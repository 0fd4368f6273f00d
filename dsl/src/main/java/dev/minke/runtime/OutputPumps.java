package dev.minke.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiConsumer;

/** Copies a process's output stream to a listener and a buffer, on a daemon thread of its own. */
final class OutputPumps {
  private OutputPumps() {}

  static Thread start(InputStream in, ByteArrayOutputStream buffer, BiConsumer<byte[], Integer> sink,
      String threadName) {
    Thread thread = new Thread(() -> {
      byte[] chunk = new byte[8192];
      try (in) {
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
          sink.accept(chunk, n);
          buffer.write(chunk, 0, n);
        }
      } catch (IOException e) {
        // The process closed its end; what was read is kept.
      }
    }, threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
