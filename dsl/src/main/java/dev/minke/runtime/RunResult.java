package dev.minke.runtime;

import java.nio.charset.StandardCharsets;

/**
 * How a container run ended: Docker's exit code (125 runtime failure, 126 not executable, 127
 * not found, 128+N killed by signal N), what it wrote, and whether the kernel's OOM killer
 * stopped it.
 */
public record RunResult(String containerId, int exitCode, byte[] stdoutBytes, byte[] stderrBytes, boolean oomKilled,
    long durationMillis) {

  public String stdout() {
    return new String(stdoutBytes, StandardCharsets.UTF_8);
  }

  public String stderr() {
    return new String(stderrBytes, StandardCharsets.UTF_8);
  }

  /** Standard output and error together, as a terminal would show them (stdout first). */
  public String output() {
    return stdout() + stderr();
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  @Override
  public String toString() {
    String firstLine = output().lines().findFirst().orElse("");
    return "RunResult[exit " + exitCode + (oomKilled ? " (OOM killed)" : "") + ", "
        + (firstLine.length() > 60 ? firstLine.substring(0, 59) + "…" : firstLine) + "]";
  }
}
