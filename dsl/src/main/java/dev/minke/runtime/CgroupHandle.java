package dev.minke.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cgroup(s) of one container, made by {@link Cgroups#create}. A process joins by writing its
 * pid into every file of {@link #procsFiles()}, before it starts the workload.
 *
 * <p>Closing kills whatever is left with SIGKILL and removes the directories.
 */
public interface CgroupHandle extends AutoCloseable {

  /** The name given to {@link Cgroups#create}; the directories are {@code minke/<name>}. */
  String name();

  /**
   * Every {@code cgroup.procs} file the container's pid must be written into: one on v2, one
   * per v1 hierarchy (memory, cpu, cpuacct, pids, freezer); empty when running without cgroups.
   */
  List<Path> procsFiles();

  /** The directory that best describes the container: the v2 cgroup, or the v1 memory cgroup. */
  Optional<Path> primaryDir();

  /**
   * The cgroup v2 directory minke-init attaches the device filter to ({@link DeviceRules}), since
   * v2 has no devices controller; empty on v1, whose devices cgroup has the rules already, and
   * without cgroups.
   */
  default Optional<Path> deviceFilterDir() {
    return Optional.empty();
  }

  /** Usage now; each figure is empty when its controller is not there. */
  Stats stats();

  /**
   * Whether the kernel's OOM killer killed a process of this cgroup. v2 reads {@code oom_kill}
   * in {@code memory.events}. v1 reads {@code oom_kill} in {@code memory.oom_control} (kernel
   * 4.13 and later); on older kernels it falls back to {@code memory.failcnt > 0}, which means
   * the limit was hit and may be true without a kill.
   */
  boolean oomKilled();

  /**
   * Sends {@code signal} to every process in the cgroup, freezing it first where the kernel can
   * so that no fork escapes. For SIGKILL (9) it repeats until the cgroup is empty (v2 uses
   * {@code cgroup.kill} when the kernel has it) and throws if it stays populated.
   */
  void killAll(int signal);

  /**
   * Removes the cgroup directories with rmdir, retrying briefly while the kernel lets exiting
   * processes go. The processes must be gone: call {@link #killAll} first, or {@link #close}.
   * Removing twice is harmless.
   */
  void remove();

  /** Kills what is left (SIGKILL) and removes the directories. */
  @Override
  void close();

  /**
   * Usage figures of one cgroup.
   *
   * @param memoryCurrentBytes memory charged now ({@code memory.current}, v1 {@code
   *     memory.usage_in_bytes})
   * @param memoryPeakBytes the high-water mark ({@code memory.peak}, kernel 5.19+; v1 {@code
   *     memory.max_usage_in_bytes})
   * @param pidsCurrent processes and threads now ({@code pids.current}); killed processes count
   *     until their parent reaps them
   * @param cpuUsageMicros CPU time used ({@code cpu.stat usage_usec}; v1 {@code cpuacct.usage}
   *     / 1000)
   */
  record Stats(
      OptionalLong memoryCurrentBytes,
      OptionalLong memoryPeakBytes,
      OptionalLong pidsCurrent,
      OptionalLong cpuUsageMicros) {
    static final Stats NONE =
        new Stats(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
  }
}
