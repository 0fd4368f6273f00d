package dev.minke.store;

import dev.minke.runtime.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs {@code minke ARGS} against one store in its own JVM, inside its own mount and PID
 * namespaces ({@code unshare --fork --kill-child}): a SIGKILL to the returned process takes the
 * JVM, its build containers and their overlay mounts down with it, as a crash would, and leaves
 * nothing mounted on the host.
 */
final class CliChild {
  static final Path UNSHARE = Path.of("/usr/bin/unshare");

  private CliChild() {}

  static Process start(Path home, Path log, List<String> args) throws IOException {
    return start(home, log, "dev.minke.cli.Main", args);
  }

  /** Runs {@code mainClass} (from this JVM's test class path) the same way. */
  static Process start(Path home, Path log, String mainClass, List<String> args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(UNSHARE.toString(), "--mount", "--propagation", "private",
        "--pid", "--fork", "--kill-child", "--mount-proc",
        java, "-Xmx384m", "-XX:+UseSerialGC", "-Dminke.home=" + home, "-cp", System.getProperty("java.class.path"),
        mainClass));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder.start();
  }

  /** The cgroups Minke has now; {@link #removeNewCgroups} removes the ones made after this. */
  static Set<String> cgroups() {
    try {
      return new HashSet<>(Cgroups.leftovers());
    } catch (RuntimeException e) {
      return Set.of(); // No cgroups on this machine: nothing to clean up either.
    }
  }

  /**
   * Removes the cgroups that appeared since {@code before} once they are empty: a killed build
   * never ran its cleanup. rmdir refuses a cgroup that still has processes, so waits for them.
   */
  static void removeNewCgroups(Set<String> before) throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      boolean left = false;
      for (String dir : cgroups()) {
        if (!before.contains(dir)) {
          try {
            Files.deleteIfExists(Path.of(dir));
          } catch (IOException e) {
            left = true;
          }
        }
      }
      if (!left) {
        return;
      }
      Thread.sleep(100);
    }
  }
}
