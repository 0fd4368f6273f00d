package dev.minke.runtime;

import dev.minke.image.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the same bundle with an installed OCI runtime ({@code runc} or {@code crun}), as a
 * cross-check of minke-init and an alternative to it. Java mounts the overlay root filesystem
 * on the bundle's {@code rootfs} (these runtimes expect a ready directory) and unmounts it when
 * the container ends; the runtime makes the cgroups from {@code linux.cgroupsPath}.
 */
final class OciCliBackend implements RuntimeBackend {
  private final Path program;

  OciCliBackend(Path program) {
    this.program = program;
  }

  @Override
  public String name() {
    return program.getFileName().toString();
  }

  @Override
  public boolean managesCgroups() {
    return true;
  }

  @Override
  public ContainerProcess start(ContainerLaunch launch) throws IOException {
    Path bundle = launch.containerDir();
    Path rootfs = bundle.resolve("rootfs");
    Files.write(bundle.resolve("config.json"), Json.bytes(launch.spec()));
    mountOverlay(launch.rootfs(), rootfs);
    Path pidFile = bundle.resolve(name() + ".pid");
    Files.deleteIfExists(pidFile);
    List<String> command = new ArrayList<>(List.of(program.toString(), "--root", stateDir(bundle).toString(),
        "run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), launch.id()));
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
        "\"$@\"; status=$?; umount \"" + rootfs + "\"; exit $status", "sh")
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    builder.command().addAll(command);
    try {
      return new ContainerProcess(builder.start(), pidFile, name());
    } catch (IOException e) {
      umount(rootfs);
      throw e;
    }
  }

  /**
   * {@code runc exec}: the runtime enters the container (namespaces, cgroups, its seccomp
   * filter) and runs the process described in a {@code process.json}.
   */
  @Override
  public ContainerProcess exec(ExecLaunch launch) throws IOException {
    Path processFile = launch.file(".json");
    Path pidFile = launch.file(".pid");
    Files.write(processFile, Json.bytes(launch.process()));
    ProcessBuilder builder = new ProcessBuilder(program.toString(), "--root", stateDir(launch.containerDir()).toString(),
        "exec", "--process", processFile.toString(), "--pid-file", pidFile.toString(), launch.id())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    return new ContainerProcess(builder.start(), pidFile, name());
  }

  /** runc's and crun's state directory for Minke's containers, inside the store. */
  private static Path stateDir(Path containerDir) {
    return containerDir.getParent().resolve(".oci-state");
  }

  private static void mountOverlay(RootfsPlan plan, Path target) throws IOException {
    run(plan.overlayDir(), "mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + String.join(":", plan.lowers()) + ",upperdir=" + plan.upper() + ",workdir=" + plan.work(),
        target.toString());
  }

  private static void umount(Path target) {
    try {
      run(target.getParent(), "umount", target.toString());
    } catch (IOException ignored) {
      // Reported by the leftover check; nothing else to do here.
    }
  }

  private static void run(Path dir, String... command) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
