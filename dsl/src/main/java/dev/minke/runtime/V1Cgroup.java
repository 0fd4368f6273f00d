package dev.minke.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One container's cgroups in the v1 hierarchies: {@code <mount>/minke/<name>} in memory, cpu,
 * cpuacct, pids, freezer and devices, each where it is mounted (cpu and cpuacct may share one
 * mount).
 *
 * <p>Memory: {@code memory.memsw.limit_in_bytes} (memory + swap) is set to the memory limit, so
 * a container gets no swap on top of its limit, the same as v2's {@code memory.swap.max=0}.
 * Docker gives {@code --memory} alone twice that in memory + swap; Minke picks the limit that
 * means the same on v1 and v2 and on machines with and without swap.
 *
 * <p>Devices: as Docker's and runc's default, every device is denied and {@link
 * DeviceRules#DOCKER_DEFAULT} allows back mknod of any node and opening only the harmless ones.
 */
final class V1Cgroup implements CgroupHandle {
  /** The hierarchies a container joins, when mounted; freezer is for a reliable kill. */
  static final List<String> CONTROLLERS =
      List.of("memory", "cpu", "cpuacct", "pids", "freezer", "devices");

  private final CgroupFs fs;
  private final String name;
  private final Map<String, Path> dirs; // controller → its cgroup dir; co-mounted share one

  private V1Cgroup(CgroupFs fs, String name, Map<String, Path> dirs) {
    this.fs = fs;
    this.name = name;
    this.dirs = dirs;
  }

  /** Creates {@code minke/<name>} under each mounted hierarchy and writes the limits. */
  static V1Cgroup create(CgroupFs fs, Map<String, Path> mounts, String name, CgroupLimits limits) {
    for (String controller : List.of("memory", "cpu", "pids")) {
      if (limits.needs(controller) && !mounts.containsKey(controller)) {
        throw new CgroupException(
            controller, null, "no cgroup v1 " + controller + " hierarchy is mounted",
            "mount it (`mount -t cgroup -o " + controller + " cgroup /sys/fs/cgroup/" + controller
                + "`) or boot with cgroup v2");
      }
    }
    V1Cgroup cgroup = open(fs, mounts, name);
    List<Path> made = new ArrayList<>();
    try {
      for (Path dir : cgroup.distinctDirs()) {
        CgroupFiles.mkdir(fs, "", dir.getParent(), true);
        CgroupFiles.mkdir(fs, "", dir, false);
        made.add(dir);
      }
      cgroup.writeLimits(limits);
    } catch (RuntimeException e) {
      CgroupFiles.rmdirAll(fs, made);
      throw e;
    }
    return cgroup;
  }

  /** The cgroups {@code minke/<name>} under each mounted hierarchy, as they are; nothing is created. */
  static V1Cgroup open(CgroupFs fs, Map<String, Path> mounts, String name) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String controller : CONTROLLERS) {
      Path mount = mounts.get(controller);
      if (mount != null) {
        dirs.put(controller, mount.resolve(Cgroups.PARENT).resolve(name));
      }
    }
    return new V1Cgroup(fs, name, dirs);
  }

  private void writeLimits(CgroupLimits limits) {
    if (limits.limitsMemory()) {
      Path memory = dirs.get("memory");
      String bytes = Long.toString(limits.memoryBytes());
      // limit_in_bytes first: the kernel keeps memsw ≥ limit at every step.
      CgroupFiles.write(fs, "memory", memory.resolve("memory.limit_in_bytes"), bytes);
      Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
      if (fs.exists(memsw)) {
        CgroupFiles.write(fs, "memory", memsw, bytes);
      }
    }
    if (limits.limitsCpu()) {
      Path cpu = dirs.get("cpu");
      CgroupFiles.write(
          fs, "cpu", cpu.resolve("cpu.cfs_period_us"), Long.toString(limits.cpuPeriodMicros()));
      CgroupFiles.write(
          fs, "cpu", cpu.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros()));
    }
    if (limits.limitsPids()) {
      CgroupFiles.write(fs, "pids", dirs.get("pids").resolve("pids.max"), Long.toString(limits.pidsMax()));
    }
    Path devices = dirs.get("devices");
    if (devices != null) {
      CgroupFiles.write(fs, "devices", devices.resolve("devices.deny"), "a");
      for (String rule : DeviceRules.DOCKER_DEFAULT) {
        CgroupFiles.write(fs, "devices", devices.resolve("devices.allow"), rule);
      }
    }
  }

  private List<Path> distinctDirs() {
    return List.copyOf(new LinkedHashSet<>(dirs.values()));
  }

  private Optional<Path> file(String controller, String fileName) {
    return Optional.ofNullable(dirs.get(controller)).map(dir -> dir.resolve(fileName));
  }

  private OptionalLong number(String controller, String fileName) {
    Optional<Path> file = file(controller, fileName);
    return file.isEmpty() ? OptionalLong.empty() : CgroupFiles.readLong(fs, file.get());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Path> procsFiles() {
    return distinctDirs().stream().map(dir -> dir.resolve("cgroup.procs")).toList();
  }

  @Override
  public Optional<Path> primaryDir() {
    return dirs.containsKey("memory")
        ? Optional.of(dirs.get("memory"))
        : distinctDirs().stream().findFirst();
  }

  @Override
  public Stats stats() {
    OptionalLong cpuNanos = number("cpuacct", "cpuacct.usage");
    return new Stats(
        number("memory", "memory.usage_in_bytes"),
        number("memory", "memory.max_usage_in_bytes"),
        number("pids", "pids.current"),
        cpuNanos.isPresent() ? OptionalLong.of(cpuNanos.getAsLong() / 1_000) : OptionalLong.empty());
  }

  @Override
  public boolean oomKilled() {
    Optional<Path> oomControl = file("memory", "memory.oom_control");
    if (oomControl.isEmpty()) {
      return false;
    }
    // The oom_kill counter arrived in 4.13; before that, hitting the limit is the best sign.
    OptionalLong kills = CgroupFiles.readKey(fs, oomControl.get(), "oom_kill");
    if (kills.isPresent()) {
      return kills.getAsLong() > 0;
    }
    return number("memory", "memory.failcnt").orElse(0) > 0;
  }

  @Override
  public void killAll(int signal) {
    CgroupFiles.killAll(fs, procsFiles(), signal, freezer());
  }

  // The v1 freezer: FROZEN stops every task, so the pid list cannot grow while we signal it.
  private CgroupFiles.Freezer freezer() {
    Optional<Path> state = file("freezer", "freezer.state");
    if (state.isEmpty() || !fs.exists(state.get())) {
      return CgroupFiles.Freezer.NONE;
    }
    Path stateFile = state.get();
    return new CgroupFiles.Freezer() {
      @Override
      public void freeze() {
        CgroupFiles.write(fs, "freezer", stateFile, "FROZEN");
        long deadline = System.currentTimeMillis() + 1_000;
        while (!CgroupFiles.readOrEmpty(fs, stateFile).strip().equals("FROZEN")
            && System.currentTimeMillis() < deadline) {
          CgroupFiles.sleep(2);
        }
      }

      @Override
      public void thaw() {
        CgroupFiles.write(fs, "freezer", stateFile, "THAWED");
      }
    };
  }

  @Override
  public void remove() {
    CgroupFiles.rmdirAll(fs, distinctDirs());
  }

  @Override
  public void close() {
    if (distinctDirs().stream().anyMatch(fs::exists)) {
      killAll(Signals.SIGKILL);
    }
    remove();
  }

  @Override
  public String toString() {
    return "cgroup v1 " + name + " " + dirs;
  }
}
