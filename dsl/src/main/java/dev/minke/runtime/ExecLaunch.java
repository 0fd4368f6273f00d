package dev.minke.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a backend needs to run one more process in a running container: the container's
 * ID and directory, the host PID of its PID 1, the process, the cgroups to join (empty when the
 * backend joins them itself) and where the standard streams go. {@code execId} names this exec's
 * files in the container directory ({@code exec-<execId>.*}).
 */
public record ExecLaunch(
    String id,
    String execId,
    Path containerDir,
    long containerPid,
    RuntimeSpec.Process process,
    List<Path> cgroupProcs,
    ProcessBuilder.Redirect stdout,
    ProcessBuilder.Redirect stderr) {

  public ExecLaunch {
    cgroupProcs = List.copyOf(cgroupProcs);
  }

  /** A file of this exec in the container directory, e.g. {@code exec-<execId>.spec}. */
  Path file(String suffix) {
    return containerDir.resolve("exec-" + execId + suffix);
  }
}
