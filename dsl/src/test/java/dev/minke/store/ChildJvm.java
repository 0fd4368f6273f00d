package dev.minke.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link StoreChild} in its own JVM, with this JVM's test class path. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path home, String prefix, int first, int count, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), StoreChild.class.getName(), home.toString(), prefix,
        String.valueOf(first), String.valueOf(count)));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder.start();
  }

  /** Waits for a child and fails, with its output, unless it exits 0 in time. */
  static void awaitSuccess(Process process, Path log, long timeoutSeconds) throws Exception {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("child did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("child exited " + process.exitValue() + ":\n" + Files.readString(log));
    }
  }
}
