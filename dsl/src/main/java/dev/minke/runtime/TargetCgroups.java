package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroups a process runs in, as {@code cgroup.procs} files an exec writes its pid into.
 * Only the hierarchies where the process sits elsewhere than this JVM are listed: those are the
 * container's own (memory, pids, cpu…), the rest it shares with its creator anyway.
 */
final class TargetCgroups {
  private TargetCgroups() {}

  /** The files to join the cgroups of {@code pid}; empty when the process is gone. */
  static List<Path> procsFiles(long pid) {
    String mountinfo = read(Path.of("/proc/self/mountinfo"));
    CgroupLayout target = CgroupLayout.parse(mountinfo, read(Path.of("/proc/" + pid + "/cgroup")));
    CgroupLayout self = CgroupLayout.parse(mountinfo, read(Path.of("/proc/self/cgroup")));
    Set<Path> files = new LinkedHashSet<>();
    for (Map.Entry<String, Path> mount : target.controllerMounts().entrySet()) {
      add(files, mount.getValue(), target.ownCgroup(mount.getKey()), self.ownCgroup(mount.getKey()));
    }
    target.unifiedMount().ifPresent(m -> add(files, m, target.ownUnifiedCgroup(), self.ownUnifiedCgroup()));
    return List.copyOf(files);
  }

  private static void add(Set<Path> files, Path mount, Optional<String> targetPath, Optional<String> ownPath) {
    if (targetPath.isEmpty() || targetPath.equals(ownPath)) {
      return;
    }
    // /proc/PID/cgroup paths are relative to our cgroup namespace root, which the mount shows.
    files.add(mount.resolve(targetPath.get().replaceFirst("^/+", "")).resolve("cgroup.procs"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
