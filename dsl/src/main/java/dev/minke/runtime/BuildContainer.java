package dev.minke.runtime;

import dev.minke.image.ContainerConfig;
import dev.minke.os.Interrupts;
import dev.minke.os.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Runs one build step's process (a {@code RUN}) on an overlay the caller prepared: the parent's
 * snapshots below, an upper directory that becomes the step's layer. No container record, no
 * logs, no name: the container lives exactly as long as the call, and its cgroup and mounts go
 * with it (the overlay is mounted inside the container's own mount namespace).
 *
 * <p>Isolation is a {@code docker run}'s, with two build differences: the network is the host's
 * unless {@link BuildProcess#isolatedNetwork()} (BuildKit's {@code RUN --network=default}),
 * and the hostname is fixed, so that a step that records it is reproducible.
 */
public final class BuildContainer {
  /** BuildKit's hostname for RUN containers. */
  public static final String HOSTNAME = "buildkitsandbox";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.time.Duration PUMP_WAIT = java.time.Duration.ofSeconds(5);

  private BuildContainer() {}

  /**
   * What a build step runs: argv, the full environment ({@code NAME=value}), working directory,
   * user spec (resolved with {@code accounts}, the parent's {@code /etc/passwd} and {@code
   * /etc/group}), whether it gets an empty network namespace ({@code --network=none}) and extra
   * mounts (host binds for {@code RUN --mount}, made after Docker's standard ones).
   */
  public record BuildProcess(List<String> argv, List<String> env, String cwd, String user,
      ImageAccounts accounts, boolean isolatedNetwork, List<RuntimeSpec.Mount> mounts) {
    public BuildProcess {
      argv = List.copyOf(argv);
      env = List.copyOf(env);
      mounts = mounts == null ? List.of() : List.copyOf(mounts);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a build step needs a command to run");
      }
    }

    public BuildProcess(List<String> argv, List<String> env, String cwd, String user, ImageAccounts accounts,
        boolean isolatedNetwork) {
      this(argv, env, cwd, user, accounts, isolatedNetwork, List.of());
    }
  }

  /**
   * Runs the process to its end, streaming its output to {@code listener}, and returns how it
   * ended. {@code containerDir} is a fresh directory for the launch files (it may hold the
   * plan's upper, work and target directories).
   *
   * <p>Interruptible: an interrupt of the calling thread stops the container (SIGTERM, SIGKILL
   * to its cgroup after {@link ProcessStop#BUILD_GRACE}), waits for its processes and output to
   * end, removes its cgroup (its overlay goes with its mount namespace) and throws {@link
   * RunInterruptedException} with the thread's interrupt status set again.
   *
   * @throws ContainerStartException if the runtime could not set the container up
   * @throws RunInterruptedException if the calling thread was interrupted
   */
  public static RunResult run(Path storeHome, Path containerDir, RootfsPlan rootfs, BuildProcess process,
      OutputListener listener) {
    String id = HexFormat.of().formatHex(randomBytes());
    RuntimeSpec spec = spec(id, process);
    RuntimeBackend backend = Runtimes.select(storeHome);
    long started = System.nanoTime();
    try (CgroupHandle cgroup = backend.managesCgroups() ? new NoCgroup(id, backend.name() + " makes its own cgroups")
        : Cgroups.detect().create(id, spec.linux().resources())) {
      Files.createDirectories(rootfs.upper());
      Files.createDirectories(rootfs.work());
      Files.createDirectories(rootfs.target());
      ContainerLaunch launch = new ContainerLaunch(id, containerDir, spec, rootfs, cgroup.procsFiles(),
          cgroup.deviceFilterDir(), ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
      ContainerProcess container = backend.start(launch);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread outPump = OutputPumps.start(container.stdout(), out, listener::stdout, "minke-build-" + id + "-out");
      Thread errPump = OutputPumps.start(container.stderr(), err, listener::stderr, "minke-build-" + id + "-err");
      int exitCode;
      try {
        exitCode = container.waitFor();
        outPump.join();
        errPump.join();
      } catch (InterruptedException e) {
        // The flag is clear now, so that stopping, closing the cgroup and unmounting can wait.
        ProcessStop.container(container, backend, cgroup, containerDir, id, ProcessStop.BUILD_GRACE);
        Interrupts.awaitEnd(outPump, PUMP_WAIT);
        Interrupts.awaitEnd(errPump, PUMP_WAIT);
        throw new RunInterruptedException("build step", String.join(" ", process.argv()), true);
      }
      Optional<String> failure = container.setupError();
      if (failure.isPresent() && exitCode == 125) {
        String[] parts = failure.get().split(" ", 3);
        throw new ContainerStartException("build step", parts[0], parts.length > 2 ? parts[2] : failure.get());
      }
      if (failure.isPresent()) {
        String message = failure.get().split(" ", 3)[2];
        byte[] reason = ("minke: " + message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        err.writeBytes(reason);
        listener.stderr(reason, reason.length);
      }
      return new RunResult(id, exitCode, out.toByteArray(), err.toByteArray(), cgroup.oomKilled(),
          (System.nanoTime() - started) / 1_000_000);
    } catch (RunInterruptedException e) {
      Thread.currentThread().interrupt(); // after the cgroup is gone: its removal waits
      throw e;
    } catch (IOException e) {
      throw new ContainerStartException("build step", "start", e.getMessage());
    } finally {
      if (backend.managesCgroups()) {
        Interrupts.cleanUp(() -> OciCliBackend.cleanUp(backend.name(), containerDir, id));
      }
    }
  }

  /** Docker's spec for a container running this process, with the build's network and hostname. */
  static RuntimeSpec spec(String id, BuildProcess process) {
    ContainerConfig config = ContainerConfig.empty();
    for (String entry : process.env()) {
      int eq = entry.indexOf('=');
      config = config.withEnv(entry.substring(0, eq), entry.substring(eq + 1));
    }
    RunOptions options = Containers.withLimitsThisUserCanHave(RunOptions.defaults()
        .withCommand(process.argv()).withWorkdir(process.cwd()).withUser(process.user()).withHostname(HOSTNAME));
    boolean rootless = !Posix.isRoot();
    RuntimeSpec spec = SpecBuilder.build(config, options, process.accounts(), id, rootless, hostId("uid"),
        hostId("gid"));
    if (!process.mounts().isEmpty()) {
      List<RuntimeSpec.Mount> mounts = new java.util.ArrayList<>(spec.mounts());
      mounts.addAll(process.mounts());
      spec = new RuntimeSpec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), mounts,
          spec.linux(), spec.annotations());
    }
    if (process.isolatedNetwork()) {
      return spec;
    }
    // No network namespace: minke-init (and runc) then leave the process in the host's.
    RuntimeSpec.Linux linux = spec.linux();
    List<RuntimeSpec.Namespace> namespaces = linux.namespaces().stream()
        .filter(ns -> !ns.type().equals("network")).toList();
    RuntimeSpec.Linux hostNetwork = new RuntimeSpec.Linux(namespaces, linux.uidMappings(), linux.gidMappings(),
        linux.resources(), linux.cgroupsPath(), linux.maskedPaths(), linux.readonlyPaths(),
        linux.rootfsPropagation(), linux.sysctl(), linux.seccomp());
    return new RuntimeSpec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.mounts(),
        hostNetwork, spec.annotations());
  }
  private static long hostId(String which) {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + which)).longValue();
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
