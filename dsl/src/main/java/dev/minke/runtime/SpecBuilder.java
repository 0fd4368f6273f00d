package dev.minke.runtime;

import dev.minke.error.MinkeException;
import dev.minke.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the runtime spec Docker would give a container of this image: the image's defaults,
 * overridden by the run options, with Docker's isolation (namespaces, capabilities, masked and
 * read-only paths, the default seccomp profile) plus no_new_privs and a pids limit, Minke's
 * stricter defaults for notebooks.
 */
public final class SpecBuilder {
  /** CPU bandwidth period, as Docker uses for {@code --cpus}. */
  static final long CPU_PERIOD_MICROS = 100_000;

  private SpecBuilder() {}

  /**
   * The spec for a container.
   *
   * @param rootless whether the container runs in a user namespace mapping root to {@code hostUid}
   */
  public static RuntimeSpec build(ContainerConfig image, RunOptions options, ImageAccounts accounts,
      String containerId, boolean rootless, long hostUid, long hostGid) {
    List<String> argv = options.argv(image.entrypoint(), image.cmd());
    if (argv.isEmpty()) {
      throw new MinkeException("the image has no command to run (no ENTRYPOINT or CMD)",
          "give one, e.g. img.run(\"sh\", \"-c\", \"echo hi\"), or set cmd(...) when building");
    }
    String cwd = options.workdir() != null ? options.workdir()
        : image.workingDir() == null || image.workingDir().isEmpty() ? "/" : image.workingDir();
    String user = options.user() != null ? options.user() : image.user();
    boolean hostNetwork = "host".equals(options.network());
    String hostname = options.hostname() != null ? options.hostname()
        : hostNetwork ? hostHostname() : containerId.substring(0, 12);
    RuntimeSpec.Process process = new RuntimeSpec.Process(false, accounts.resolve(user), argv,
        env(image, options, hostname), cwd,
        new RuntimeSpec.Capabilities(DockerDefaults.CAPABILITIES, DockerDefaults.CAPABILITIES, List.of(),
            DockerDefaults.CAPABILITIES, List.of()),
        List.of(), true);
    List<RuntimeSpec.Namespace> namespaces = new ArrayList<>();
    DockerDefaults.NAMESPACES.stream().filter(ns -> !(hostNetwork && ns.equals("network")))
        .forEach(ns -> namespaces.add(RuntimeSpec.Namespace.of(ns))); // --network host: the host's namespace
    List<RuntimeSpec.IdMapping> uidMap = List.of();
    List<RuntimeSpec.IdMapping> gidMap = List.of();
    if (rootless) {
      RuntimeSpec.User who = process.user();
      if (who.uid() != 0 || who.gid() != 0) {
        throw new MinkeException("user " + (user == null || user.isEmpty() ? "" : "\"" + user + "\" ") + "("
            + who.uid() + ":" + who.gid() + ") cannot run in a rootless container: its user namespace maps "
            + "only your own uid and gid, to 0 (root) inside",
            "run it as root inside (withUser(\"root\")), which is your own user outside, or run Minke as root");
      }
      namespaces.add(RuntimeSpec.Namespace.of("user"));
      uidMap = List.of(new RuntimeSpec.IdMapping(0, hostUid, 1));
      gidMap = List.of(new RuntimeSpec.IdMapping(0, hostGid, 1));
    }
    RuntimeSpec.Linux linux = new RuntimeSpec.Linux(namespaces, uidMap, gidMap, resources(options),
        cgroupsPath(containerId), DockerDefaults.MASKED_PATHS, DockerDefaults.READONLY_PATHS, "private", null,
        SeccompProfile.defaultProfile());
    return new RuntimeSpec(RuntimeSpec.OCI_VERSION, process, new RuntimeSpec.Root("rootfs", options.readOnlyRoot()),
        hostname, DockerDefaults.mounts(), linux,
        options.init() ? Map.of(RuntimeSpec.INIT_ANNOTATION, "true") : Map.of());
  }

  /**
   * Where the container's cgroups go: {@code /minke/ID} under every hierarchy's root, where Java
   * makes them for minke-init. Absolute, because runc's cgroupfs driver puts a relative path
   * below runc's own cgroup (here {@code memory:/process_api/…}), where nothing looks for it.
   */
  static String cgroupsPath(String containerId) {
    return "/" + Cgroups.PARENT + "/" + containerId;
  }

  /** {@code --network host} shows the host's name, as in Docker. */
  private static String hostHostname() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /** As Docker: PATH and HOSTNAME first, then the image's env, then the run's env on top. */
  private static List<String> env(ContainerConfig image, RunOptions options, String hostname) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DockerDefaults.PATH.substring("PATH=".length()));
    env.put("HOSTNAME", hostname);
    for (String entry : image.env()) {
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    env.putAll(options.env());
    List<String> list = new ArrayList<>();
    env.forEach((k, v) -> list.add(k + "=" + v));
    return list;
  }

  private static RuntimeSpec.Resources resources(RunOptions options) {
    RuntimeSpec.Memory memory = options.memoryBytes() == null ? null : new RuntimeSpec.Memory(options.memoryBytes());
    RuntimeSpec.Cpu cpu = options.cpus() == null ? null
        : new RuntimeSpec.Cpu(Math.round(options.cpus() * CPU_PERIOD_MICROS), CPU_PERIOD_MICROS);
    RuntimeSpec.Pids pids = options.pidsLimit() == null ? null : new RuntimeSpec.Pids(options.pidsLimit());
    return new RuntimeSpec.Resources(memory, cpu, pids);
  }
}
