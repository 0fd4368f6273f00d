package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The default backend: minke-init, the static C helper, runs the container. Java writes the
 * spec to a file and starts {@code sh -c 'exec minke-init 3<SPEC 4>REPORT'}, because a
 * ProcessBuilder cannot hand a child extra file descriptors; the shell execs, so the Process is
 * minke-init itself and its exit status is the container's.
 */
final class MinkeInitBackend implements RuntimeBackend {
  private final Path binary;

  MinkeInitBackend(Path binary) {
    this.binary = binary;
  }

  @Override
  public String name() {
    return "minke-init";
  }

  @Override
  public ContainerProcess start(ContainerLaunch launch) throws IOException {
    Path specFile = launch.containerDir().resolve("init.spec");
    Path reportFile = launch.containerDir().resolve("init.report");
    Files.write(specFile, InitSpec.encode(launch.spec(), launch.rootfs(), launch.cgroupProcs()));
    Files.deleteIfExists(reportFile);
    ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", "exec \"$0\" 3<\"$1\" 4>\"$2\"",
        binary.toString(), specFile.toString(), reportFile.toString()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    builder.environment().clear(); // The container's environment comes from the spec alone.
    return new ContainerProcess(builder.start(), reportFile, name());
  }

  @Override
  public ContainerProcess startDetached(ContainerLaunch launch) throws IOException {
    Path specFile = launch.containerDir().resolve("init.spec");
    Path reportFile = launch.containerDir().resolve("init.report");
    Files.write(specFile, InitSpec.encode(launch.spec(), launch.rootfs(), launch.cgroupProcs()));
    Files.deleteIfExists(reportFile);
    List<String> command = DetachedMonitor.command(launch.containerDir(), "exec \"$1\" 3<\"$2\" 4>\"$3\"",
        List.of(binary.toString(), specFile.toString(), reportFile.toString()), "");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    builder.environment().clear();
    return new ContainerProcess(builder.start(), reportFile, name());
  }
}
