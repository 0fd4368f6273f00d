package dev.minke.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One container's cgroup in the unified (v2) hierarchy: {@code <parent>/minke/<name>}. */
final class V2Cgroup implements CgroupHandle {
  /** The controllers a container gets when the parent has them. */
  static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

  private final CgroupFs fs;
  private final String name;
  private final Path dir;

  private V2Cgroup(CgroupFs fs, String name, Path dir) {
    this.fs = fs;
    this.name = name;
    this.dir = dir;
  }

  /**
   * Creates {@code <parent>/minke/<name>}: enables the controllers in the {@code
   * cgroup.subtree_control} of {@code parent} and of {@code minke}, then writes the limits.
   */
  static V2Cgroup create(CgroupFs fs, Path parent, String name, CgroupLimits limits) {
    Path controllersFile = parent.resolve("cgroup.controllers");
    Set<String> available = tokens(CgroupFiles.readOrEmpty(fs, controllersFile));
    for (String controller : CONTROLLERS) {
      if (limits.needs(controller) && !available.contains(controller)) {
        throw new CgroupException(
            controller, controllersFile,
            "the " + controller + " controller is not available in " + parent
                + " (cgroup.controllers lists: " + String.join(" ", available) + ")",
            "enable it in the parent's cgroup.subtree_control; " + CgroupException.DELEGATION_HINT);
      }
    }
    Path minke = parent.resolve(Cgroups.PARENT);
    Set<String> enabled = enable(fs, parent, available, limits);
    CgroupFiles.mkdir(fs, "", minke, true);
    enable(fs, minke, enabled, limits);
    Path dir = minke.resolve(name);
    CgroupFiles.mkdir(fs, "", dir, false);
    V2Cgroup cgroup = new V2Cgroup(fs, name, dir);
    try {
      cgroup.writeLimits(limits);
    } catch (RuntimeException e) {
      CgroupFiles.rmdirAll(fs, List.of(dir));
      throw e;
    }
    return cgroup;
  }

  /** The cgroup {@code <parent>/minke/<name>} as it is, made earlier; nothing is created. */
  static V2Cgroup open(CgroupFs fs, Path parent, String name) {
    return new V2Cgroup(fs, name, parent.resolve(Cgroups.PARENT).resolve(name));
  }

  // One controller per write: one that cannot be enabled (cpu with realtime tasks about, say)
  // only matters when a limit needs it.
  private static Set<String> enable(CgroupFs fs, Path dir, Set<String> wanted, CgroupLimits limits) {
    Path file = dir.resolve("cgroup.subtree_control");
    Set<String> enabled = tokens(CgroupFiles.readOrEmpty(fs, file));
    Set<String> out = new LinkedHashSet<>();
    for (String controller : CONTROLLERS) {
      if (!wanted.contains(controller)) {
        continue;
      }
      if (!enabled.contains(controller)) {
        try {
          CgroupFiles.write(fs, controller, file, "+" + controller);
        } catch (CgroupException e) {
          if (limits.needs(controller)) {
            throw new CgroupException(
                controller, file, e.problem(),
                "a v2 cgroup with processes of its own cannot pass controllers down; "
                    + CgroupException.DELEGATION_HINT, e);
          }
          continue;
        }
      }
      out.add(controller);
    }
    return out;
  }

  private void writeLimits(CgroupLimits limits) {
    if (limits.limitsMemory()) {
      CgroupFiles.write(fs, "memory", dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
      // No swap on top, as memory.limit_in_bytes = memsw on v1; absent without swap accounting.
      Path swap = dir.resolve("memory.swap.max");
      if (fs.exists(swap)) {
        CgroupFiles.write(fs, "memory", swap, "0");
      }
    }
    if (limits.limitsCpu()) {
      CgroupFiles.write(
          fs, "cpu", dir.resolve("cpu.max"),
          limits.cpuQuotaMicros() + " " + limits.cpuPeriodMicros());
    }
    if (limits.limitsPids()) {
      CgroupFiles.write(fs, "pids", dir.resolve("pids.max"), Long.toString(limits.pidsMax()));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Path> procsFiles() {
    return List.of(dir.resolve("cgroup.procs"));
  }

  @Override
  public Optional<Path> primaryDir() {
    return Optional.of(dir);
  }

  @Override
  public Optional<Path> deviceFilterDir() {
    return Optional.of(dir);
  }

  @Override
  public Stats stats() {
    return new Stats(
        CgroupFiles.readLong(fs, dir.resolve("memory.current")),
        CgroupFiles.readLong(fs, dir.resolve("memory.peak")),
        CgroupFiles.readLong(fs, dir.resolve("pids.current")),
        CgroupFiles.readKey(fs, dir.resolve("cpu.stat"), "usage_usec"));
  }

  @Override
  public boolean oomKilled() {
    return CgroupFiles.readKey(fs, dir.resolve("memory.events"), "oom_kill").orElse(0) > 0;
  }

  @Override
  public void killAll(int signal) {
    Path kill = dir.resolve("cgroup.kill");
    if (signal == Signals.SIGKILL && fs.exists(kill) && fs.exists(dir)) {
      // cgroup.kill (5.14+) kills the whole subtree at once, forks in flight included.
      CgroupFiles.write(fs, "", kill, "1");
      CgroupFiles.waitEmpty(fs, procsFiles(), System.currentTimeMillis() + 1_000);
    }
    CgroupFiles.killAll(fs, procsFiles(), signal, freezer());
  }

  // cgroup.freeze exists from 5.2; fatal signals still reach frozen tasks in v2.
  private CgroupFiles.Freezer freezer() {
    Path freeze = dir.resolve("cgroup.freeze");
    if (!fs.exists(freeze)) {
      return CgroupFiles.Freezer.NONE;
    }
    return new CgroupFiles.Freezer() {
      @Override
      public void freeze() {
        CgroupFiles.write(fs, "", freeze, "1");
        long deadline = System.currentTimeMillis() + 1_000;
        Path events = dir.resolve("cgroup.events");
        while (CgroupFiles.readKey(fs, events, "frozen").orElse(1) != 1
            && System.currentTimeMillis() < deadline) {
          CgroupFiles.sleep(2);
        }
      }

      @Override
      public void thaw() {
        CgroupFiles.write(fs, "", freeze, "0");
      }
    };
  }

  @Override
  public void remove() {
    CgroupFiles.rmdirAll(fs, List.of(dir));
  }

  @Override
  public void close() {
    if (fs.exists(dir)) {
      killAll(Signals.SIGKILL);
    }
    remove();
  }

  @Override
  public String toString() {
    return "cgroup v2 " + dir;
  }

  static Set<String> tokens(String text) {
    Set<String> out = new LinkedHashSet<>(Arrays.asList(text.strip().split("\\s+")));
    out.remove("");
    return out;
  }
}
