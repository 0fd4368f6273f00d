package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The default backend: minke-init, the static C helper, runs the container. Java writes the
 * spec to a file and starts {@code minke-init --spec SPEC --report REPORT} directly (minke-init
 * opens them onto fds 3 and 4 itself, since a ProcessBuilder cannot hand a child extra file
 * descriptors), so the Process is minke-init and its exit status is the container's.
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
    Files.write(specFile, ContainerNetworking.withNetwork(
        InitSpec.encode(launch.spec(), launch.rootfs(), launch.cgroupProcs(), launch.deviceFilterDir()), launch.containerDir()));
    Files.deleteIfExists(reportFile);
    ContainerProcess process = new ContainerProcess(init(specFile, reportFile, launch.stdout(), launch.stderr()).start(),
        reportFile, name());
    ContainerNetworking.connect(launch.id(), launch.containerDir(), process);
    return process;
  }

  /** minke-init with {@code join=PID}: it enters the container of that PID 1 and runs the process. */
  @Override
  public ContainerProcess exec(ExecLaunch launch) throws IOException {
    Path specFile = launch.file(".spec");
    Path reportFile = launch.file(".report");
    // The spec holds the environment, which may hold secrets: owner only.
    Files.createFile(specFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(specFile, InitSpec.encodeExec(launch.process(), launch.containerPid(), launch.cgroupProcs()));
    return new ContainerProcess(init(specFile, reportFile, launch.stdout(), launch.stderr()).start(), reportFile,
        name());
  }

  private ProcessBuilder init(Path specFile, Path reportFile, ProcessBuilder.Redirect stdout,
      ProcessBuilder.Redirect stderr) {
    ProcessBuilder builder = new ProcessBuilder(List.of(binary.toString(), "--spec", specFile.toString(),
        "--report", reportFile.toString()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(stdout)
        .redirectError(stderr);
    builder.environment().clear(); // The container's environment comes from the spec alone.
    return builder;
  }

  @Override
  public ContainerProcess startDetached(ContainerLaunch launch) throws IOException {
    Path specFile = launch.containerDir().resolve("init.spec");
    Path reportFile = launch.containerDir().resolve("init.report");
    Files.write(specFile, ContainerNetworking.withNetwork(
        InitSpec.encode(launch.spec(), launch.rootfs(), launch.cgroupProcs(), launch.deviceFilterDir()), launch.containerDir()));
    Files.deleteIfExists(reportFile);
    List<String> command = DetachedMonitor.command(launch.containerDir(), "exec \"$1\" --spec \"$2\" --report \"$3\"",
        List.of(binary.toString(), specFile.toString(), reportFile.toString()), "");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    builder.environment().clear();
    ContainerProcess process = new ContainerProcess(builder.start(), reportFile, name());
    ContainerNetworking.connect(launch.id(), launch.containerDir(), process);
    return process;
  }
}
