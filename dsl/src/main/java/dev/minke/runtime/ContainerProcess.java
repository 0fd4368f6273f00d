package dev.minke.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * A started container: the backend's monitor process (whose exit status is the container's
 * Docker-style exit code) and the report it writes (the container's host PID, warnings, or the
 * setup step that failed).
 */
public final class ContainerProcess {
  private final Process monitor;
  private final List<Path> reportFiles;
  private final String backend;
  private final IntUnaryOperator onExit;
  private Integer exitCode; // once the monitor ended and onExit ran

  ContainerProcess(Process monitor, Path reportFile, String backend) {
    this(monitor, List.of(reportFile), backend, IntUnaryOperator.identity());
  }

  /**
   * A monitor whose report is spread over several files (runc's pid file, and the errors Minke
   * read from runc's log), and whose exit status {@code onExit} turns into Docker's exit code
   * once, after the monitor ended (writing any {@code error} line to a report file first).
   */
  ContainerProcess(Process monitor, List<Path> reportFiles, String backend, IntUnaryOperator onExit) {
    this.monitor = monitor;
    this.reportFiles = List.copyOf(reportFiles);
    this.backend = backend;
    this.onExit = onExit;
  }

  /** The monitor's PID (minke-init, or runc); signals sent to it reach the container. */
  public long monitorPid() {
    return monitor.pid();
  }

  public Process monitor() {
    return monitor;
  }

  public String backend() {
    return backend;
  }

  /** The container's standard output, when the launch asked for a pipe. */
  public InputStream stdout() {
    return monitor.getInputStream();
  }

  /** The container's standard error, when the launch asked for a pipe. */
  public InputStream stderr() {
    return monitor.getErrorStream();
  }

  /** Waits for the container to end and returns Docker's exit code for it. */
  public int waitFor() throws InterruptedException {
    int status = monitor.waitFor();
    synchronized (this) {
      if (exitCode == null) {
        exitCode = onExit.applyAsInt(status);
      }
      return exitCode;
    }
  }

  /**
   * The container's PID as the host sees it, once setup is done; empty if it failed first.
   * Waits until the report says which.
   */
  public Optional<Long> containerPid() throws InterruptedException {
    while (true) {
      for (String line : reportLines()) {
        if (line.startsWith("pid ")) {
          return Optional.of(Long.parseLong(line.substring(4).trim()));
        }
      }
      if (!monitor.isAlive()) {
        return Optional.empty();
      }
      Thread.sleep(1);
    }
  }

  /** The setup step that failed, as the report states it ({@code error STEP ERRNO MESSAGE}). */
  public Optional<String> setupError() {
    return reportLines().stream().filter(l -> l.startsWith("error ")).map(l -> l.substring(6)).findFirst();
  }

  /** Warnings the runtime reported (a clamped rlimit, an unavailable mount). */
  public List<String> warnings() {
    return reportLines().stream().filter(l -> l.startsWith("warning ")).map(l -> l.substring(8)).toList();
  }

  /** The report's lines; a runc/crun pid file (just a number) reads as a {@code pid} line. */
  private List<String> reportLines() {
    List<String> lines = new ArrayList<>();
    for (Path reportFile : reportFiles) {
      try {
        String text = new String(Files.readAllBytes(reportFile), StandardCharsets.UTF_8);
        if (text.matches("[0-9]+\\s*")) {
          lines.add("pid " + text.trim());
        } else if (!text.isEmpty()) {
          lines.addAll(List.of(text.split("\n")));
        }
      } catch (NoSuchFileException e) {
        // Not written (yet).
      } catch (IOException e) {
        // Unreadable: as if not written.
      }
    }
    return lines;
  }
}
