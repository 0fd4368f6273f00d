package dev.minke.runtime;

import dev.minke.image.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  @Override
  public ContainerProcess startDetached(ContainerLaunch launch) throws IOException {
    Path bundle = launch.containerDir();
    Path rootfs = bundle.resolve("rootfs");
    Files.write(bundle.resolve("config.json"), Json.bytes(launch.spec()));
    mountOverlay(launch.rootfs(), rootfs);
    Path pidFile = bundle.resolve(name() + ".pid");
    Files.deleteIfExists(pidFile);
    List<String> runtime = List.of(program.toString(), "--root", stateDir(bundle).toString(),
        "run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), launch.id());
    // The wrapper unmounts what Java mounted once runc is done, as the attached form does.
    ProcessBuilder builder = new ProcessBuilder(DetachedMonitor.command(bundle, "exec \"$@\"", runtime,
        "umount \"" + rootfs + "\";"))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    try {
      return new ContainerProcess(builder.start(), pidFile, name());
    } catch (IOException e) {
      umount(rootfs);
      throw e;
    }
  }

  /**
   * Sends a signal to a container this runtime runs ({@code runc kill}); the way to SIGKILL it,
   * since runc itself cannot forward that one.
   */
  static void kill(String runtimeName, Path containerDir, String id, int signal) throws IOException {
    Path program = Runtimes.findOnPath(runtimeName)
        .orElseThrow(() -> new NoRuntimeException(runtimeName + " ran this container but is not on the PATH now"));
    run(containerDir, program.toString(), "--root", stateDir(containerDir).toString(), "kill", id,
        Integer.toString(signal));
  }

  /**
   * Cleans up after a container of this runtime whose wrapper did not (it was killed, or the
   * host restarted): {@code runc delete --force} and the root filesystem Java mounted.
   */
  static void cleanUp(String runtimeName, Path containerDir, String id) {
    Optional<Path> program = Runtimes.findOnPath(runtimeName);
    if (program.isPresent()) {
      try {
        run(containerDir, program.get().toString(), "--root", stateDir(containerDir).toString(), "delete",
            "--force", id);
      } catch (IOException e) {
        // Not known to the runtime any more: nothing to delete.
      }
    }
    Path rootfs = containerDir.resolve("rootfs");
    if (isMountPoint(rootfs)) {
      umount(rootfs);
    }
  }

  /** Whether something is mounted on {@code dir}: it is on another device than its parent. */
  static boolean isMountPoint(Path dir) {
    try {
      return !Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS)
          .equals(Files.getAttribute(dir.getParent(), "unix:dev", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return false;
    }
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
