package dev.minke.runtime;

import dev.minke.runtime.net.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run a container, Docker's {@code run} flags as a value: command, environment, working
 * directory, user, hostname and limits. Unset values come from the image config.
 *
 * <p>{@code defaultPidsLimit} says that {@code pidsLimit} is Minke's default ({@link
 * #DEFAULT_PIDS_LIMIT}, from {@link #defaults()}) rather than a limit the user asked for: where
 * this user may make no cgroups (rootless on cgroup v1), the default is dropped with a warning,
 * while an explicit limit fails the run.
 */
public record RunOptions(
    List<String> command,
    Map<String, String> env,
    String workdir,
    String user,
    String hostname,
    Long memoryBytes,
    Double cpus,
    Long pidsLimit,
    boolean readOnlyRoot,
    boolean init,
    boolean defaultPidsLimit,
    String network,
    List<PortMapping> ports,
    List<MountSpec> mounts) {

  /** Docker has no default pids limit; notebooks get one so a fork bomb cannot hurt the host. */
  public static final long DEFAULT_PIDS_LIMIT = 1024;

  public RunOptions {
    command = command == null ? List.of() : List.copyOf(command);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    ports = ports == null ? List.of() : List.copyOf(ports);
    if (memoryBytes != null && memoryBytes < 6 * 1024 * 1024) {
      throw new IllegalArgumentException(
          "memory limit " + memoryBytes + " bytes is too small: Docker's minimum is 6 MB");
    }
    if (cpus != null && cpus <= 0) {
      throw new IllegalArgumentException("cpus must be more than 0, e.g. 0.5 or 2, not " + cpus);
    }
    if (pidsLimit != null && pidsLimit < 1) {
      throw new IllegalArgumentException("pids limit must be at least 1, not " + pidsLimit);
    }
  }

  /** Options whose pids limit, if any, is the caller's own. */
  public RunOptions(List<String> command, Map<String, String> env, String workdir, String user, String hostname,
      Long memoryBytes, Double cpus, Long pidsLimit, boolean readOnlyRoot) {
    this(command, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, false, false, null, null, List.of());
  }

  public static RunOptions defaults() {
    return new RunOptions(null, null, null, null, null, null, null, DEFAULT_PIDS_LIMIT, false, false, true, null, null, List.of());
  }

  /** Without Minke's default pids limit (an explicit one stays). */
  public RunOptions withoutDefaultPidsLimit() {
    return defaultPidsLimit
        ? new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, null, readOnlyRoot, init, false, network, ports, mounts)
        : this;
  }

  /** The command (replacing the image's CMD; the ENTRYPOINT stays). */
  public RunOptions withCommand(List<String> newCommand) {
    return new RunOptions(newCommand, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  /** Sets one environment variable ({@code -e NAME=value}). */
  public RunOptions withEnv(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(name, value);
    return new RunOptions(command, more, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  public RunOptions withWorkdir(String newWorkdir) {
    return new RunOptions(command, env, newWorkdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  public RunOptions withUser(String newUser) {
    return new RunOptions(command, env, workdir, newUser, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  public RunOptions withHostname(String newHostname) {
    return new RunOptions(command, env, workdir, user, newHostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  public RunOptions withMemoryBytes(long bytes) {
    return new RunOptions(command, env, workdir, user, hostname, bytes, cpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  public RunOptions withCpus(double newCpus) {
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, newCpus, pidsLimit, readOnlyRoot, init, defaultPidsLimit, network, ports, mounts);
  }

  public RunOptions withPidsLimit(long limit) {
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, limit, readOnlyRoot, init, false, network, ports, mounts);
  }

  public RunOptions withReadOnlyRoot(boolean readOnly) {
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnly, init, defaultPidsLimit, network, ports, mounts);
  }

  /**
   * {@code docker run --init}: PID 1 is a small init that reaps zombies and forwards signals, and
   * the command runs as its child, so SIGTERM stops a command that has no handler (exit 143).
   */
  public RunOptions withInit(boolean newInit) {
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, newInit,
        defaultPidsLimit, network, ports, mounts);
  }

  /**
   * {@code docker run --network}: {@code "bridge"} (Minke's default bridge {@code minke0}, with its
   * own address and NAT), {@code "none"} (only loopback), {@code "host"} (the host's network, no
   * namespace of its own) or a network made with {@link dev.minke.runtime.net.Networks#create}.
   * Unset: {@code bridge} as root, {@code none} rootless (a bridge needs root).
   */
  public RunOptions withNetwork(String newNetwork) {
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init,
        defaultPidsLimit, newNetwork, ports, mounts);
  }

  /** {@code docker run -p 8080:80} or {@code -p 127.0.0.1:8080:80}: publishes a container port on the host. */
  public RunOptions withPublish(String mapping) {
    List<PortMapping> more = new ArrayList<>(ports);
    more.add(PortMapping.parse(mapping));
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init,
        defaultPidsLimit, network, more, mounts);
  }

  /**
   * Adds a mount in Docker's {@code -v} syntax: {@code name:/path[:ro]} (a named volume, created on
   * first use), {@code /host:/path[:ro]} (a bind; a missing host directory is created) or {@code
   * /path} (a new anonymous volume). See {@link MountSpec#parseVolumeFlag}.
   */
  public RunOptions withVolume(String spec) {
    return withMount(MountSpec.parseVolumeFlag(spec));
  }

  /**
   * Adds a mount in Docker's {@code --mount} syntax, e.g. {@code
   * type=bind,source=/srv/site,target=/usr/share/html,readonly}; a bind's host path must exist.
   */
  public RunOptions withMount(String spec) {
    return withMount(MountSpec.parseMountFlag(spec));
  }

  /** Adds a mount. */
  public RunOptions withMount(MountSpec mount) {
    List<MountSpec> more = new ArrayList<>(mounts);
    more.add(mount);
    return new RunOptions(command, env, workdir, user, hostname, memoryBytes, cpus, pidsLimit, readOnlyRoot, init,
        defaultPidsLimit, network, ports, more);
  }

  /** Adds a tmpfs ({@code --tmpfs /run:size=64m}); {@code options} comma-separated, empty for none. */
  public RunOptions withTmpfs(String path, String options) {
    return withMount(MountSpec.tmpfs(path, options));
  }

  /** The process arguments Docker would run: entrypoint, then this command or the image's CMD. */
  List<String> argv(List<String> imageEntrypoint, List<String> imageCmd) {
    List<String> argv = new ArrayList<>();
    if (imageEntrypoint != null) {
      argv.addAll(imageEntrypoint);
    }
    argv.addAll(!command.isEmpty() ? command : imageCmd == null ? List.of() : imageCmd);
    return argv;
  }
}
