package dev.minke.runtime;

import dev.minke.runtime.net.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

  public static RunOptions defaults() {
    return new RunOptions(null, null, null, null, null, null, null, DEFAULT_PIDS_LIMIT, false, false, true, null, null,
        List.of());
  }

  /** Without Minke's default pids limit (an explicit one stays). */
  public RunOptions withoutDefaultPidsLimit() {
    return defaultPidsLimit ? copy(c -> {
      c.pidsLimit = null;
      c.defaultPidsLimit = false;
    }) : this;
  }

  /** The command (replacing the image's CMD; the ENTRYPOINT stays). */
  public RunOptions withCommand(List<String> newCommand) {
    return copy(c -> c.command = newCommand);
  }

  /** Sets one environment variable ({@code -e NAME=value}). */
  public RunOptions withEnv(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(name, value);
    return copy(c -> c.env = more);
  }

  public RunOptions withWorkdir(String newWorkdir) {
    return copy(c -> c.workdir = newWorkdir);
  }

  public RunOptions withUser(String newUser) {
    return copy(c -> c.user = newUser);
  }

  public RunOptions withHostname(String newHostname) {
    return copy(c -> c.hostname = newHostname);
  }

  public RunOptions withMemoryBytes(long bytes) {
    return copy(c -> c.memoryBytes = bytes);
  }

  public RunOptions withCpus(double newCpus) {
    return copy(c -> c.cpus = newCpus);
  }

  public RunOptions withPidsLimit(long limit) {
    return copy(c -> {
      c.pidsLimit = limit;
      c.defaultPidsLimit = false;
    });
  }

  public RunOptions withReadOnlyRoot(boolean readOnly) {
    return copy(c -> c.readOnlyRoot = readOnly);
  }

  /**
   * {@code docker run --init}: PID 1 is a small init that reaps zombies and forwards signals, and
   * the command runs as its child, so SIGTERM stops a command that has no handler (exit 143).
   */
  public RunOptions withInit(boolean newInit) {
    return copy(c -> c.init = newInit);
  }

  /**
   * {@code docker run --network}: {@code "bridge"} (Minke's default bridge {@code minke0}, with its
   * own address and NAT), {@code "none"} (only loopback), {@code "host"} (the host's network, no
   * namespace of its own) or a network made with {@link dev.minke.runtime.net.Networks#create}.
   * Unset: {@code bridge} as root, {@code none} rootless (a bridge needs root).
   */
  public RunOptions withNetwork(String newNetwork) {
    return copy(c -> c.network = newNetwork);
  }

  /** {@code docker run -p 8080:80} or {@code -p 127.0.0.1:8080:80}: publishes a container port on the host. */
  public RunOptions withPublish(String mapping) {
    List<PortMapping> more = new ArrayList<>(ports);
    more.add(PortMapping.parse(mapping));
    return copy(c -> c.ports = more);
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
    return copy(c -> c.mounts = more);
  }

  /** Adds a tmpfs ({@code --tmpfs /run:size=64m}); {@code options} comma-separated, empty for none. */
  public RunOptions withTmpfs(String path, String options) {
    return withMount(MountSpec.tmpfs(path, options));
  }

  /** This value with one change applied to a mutable copy of its fields (the record's withers). */
  private RunOptions copy(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new RunOptions(f.command, f.env, f.workdir, f.user, f.hostname, f.memoryBytes, f.cpus, f.pidsLimit,
        f.readOnlyRoot, f.init, f.defaultPidsLimit, f.network, f.ports, f.mounts);
  }

  /** The record's fields, mutable, for {@link #copy}; never escapes this class. */
  private static final class Fields {
    List<String> command;
    Map<String, String> env;
    String workdir;
    String user;
    String hostname;
    Long memoryBytes;
    Double cpus;
    Long pidsLimit;
    boolean readOnlyRoot;
    boolean init;
    boolean defaultPidsLimit;
    String network;
    List<PortMapping> ports;
    List<MountSpec> mounts;

    Fields(RunOptions o) {
      command = o.command;
      env = o.env;
      workdir = o.workdir;
      user = o.user;
      hostname = o.hostname;
      memoryBytes = o.memoryBytes;
      cpus = o.cpus;
      pidsLimit = o.pidsLimit;
      readOnlyRoot = o.readOnlyRoot;
      init = o.init;
      defaultPidsLimit = o.defaultPidsLimit;
      network = o.network;
      ports = o.ports;
      mounts = o.mounts;
    }
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
