package dev.minke.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a detached container's monitor outlives the JVM that started it, and how its exit code
 * reaches whoever looks next.
 *
 * <p>The JVM starts {@code setsid /bin/sh -c WRAPPER}: a shell in a session of its own (so a
 * terminal's SIGHUP or Ctrl-C for the JVM never reaches it) that runs the monitor as an
 * ordinary foreground child, not in the background, since a background job of a
 * non-interactive shell starts with SIGINT and SIGQUIT ignored and the container would inherit
 * that. The monitor is started by a second, tiny shell that writes its own PID to {@value
 * #PID_FILE} and then execs the monitor, so that PID is the monitor's (minke-init, or runc):
 * Java signals it directly and never signals the wrappers. When the monitor ends, the wrapper
 * writes its status to {@value #STATUS_FILE} (128+N if the monitor itself was killed by signal
 * N) in one {@code write}, newline-terminated. Nothing here depends on the JVM: when it exits
 * or is killed, the wrapper is adopted by the system's init and still writes the file.
 */
final class DetachedMonitor {
  /** The monitor's PID, decimal and newline-terminated, in the container's directory. */
  static final String PID_FILE = "monitor.pid";
  /** The monitor's exit status, decimal and newline-terminated, in the container's directory. */
  static final String STATUS_FILE = "exit-status";

  private static final String RUN_MONITOR = "p=$1; s=$2; i=$3; shift 3; /bin/sh -c \"$i\" \"$p\" \"$@\"; c=$?; ";
  private static final String WRITE_STATUS = "echo $c > \"$s\"";

  private DetachedMonitor() {}

  /**
   * The command that runs {@code monitorScript} (a {@code sh -c} script whose {@code $1}… are
   * {@code monitorArgs} and which must end by exec'ing the monitor) detached, then {@code
   * afterExit} (shell commands, each ending with {@code ;}), then records the status.
   */
  static List<String> command(Path containerDir, String monitorScript, List<String> monitorArgs, String afterExit)
      throws IOException {
    Files.deleteIfExists(containerDir.resolve(PID_FILE));
    Files.deleteIfExists(containerDir.resolve(STATUS_FILE));
    List<String> command = new ArrayList<>();
    Runtimes.findOnPath("setsid").ifPresent(setsid -> command.add(setsid.toString()));
    command.addAll(List.of("/bin/sh", "-c", RUN_MONITOR + afterExit + WRITE_STATUS, "sh",
        containerDir.resolve(PID_FILE).toString(), containerDir.resolve(STATUS_FILE).toString(),
        "echo $$ > \"$0\"; " + monitorScript));
    command.addAll(monitorArgs);
    return command;
  }

  /** Whether the container was started detached (its monitor writes the status file). */
  static boolean isDetached(Path containerDir) {
    return Files.exists(containerDir.resolve(PID_FILE));
  }

  /**
   * The monitor's PID, once the wrapper has written it; waits while {@code wrapper} lives.
   * Empty when the wrapper ended first.
   */
  static Optional<Long> awaitPid(Path containerDir, Process wrapper) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      Optional<String> text = readComplete(containerDir.resolve(PID_FILE));
      if (text.isPresent()) {
        return Optional.of(Long.parseLong(text.get()));
      }
      if (!wrapper.isAlive()) {
        return readComplete(containerDir.resolve(PID_FILE)).map(Long::parseLong);
      }
      Thread.sleep(1);
    }
    return Optional.empty();
  }

  /**
   * The exit status the wrapper wrote, waiting up to {@code waitMillis} for it: the monitor has
   * ended, and the wrapper writes the file a moment later.
   */
  static Optional<Integer> exitStatus(Path containerDir, long waitMillis) {
    long deadline = System.currentTimeMillis() + waitMillis;
    while (true) {
      Optional<String> text = readComplete(containerDir.resolve(STATUS_FILE));
      if (text.isPresent()) {
        return Optional.of(Integer.parseInt(text.get()));
      }
      if (System.currentTimeMillis() >= deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /** When the status was written: the container's end. */
  static Optional<Instant> exitTime(Path containerDir) {
    try {
      return Optional.of(Files.getLastModifiedTime(containerDir.resolve(STATUS_FILE)).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A file's content once its writer has finished it (a newline ends it). */
  private static Optional<String> readComplete(Path file) {
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
      return text.endsWith("\n") && text.strip().matches("[0-9]+") ? Optional.of(text.strip()) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
