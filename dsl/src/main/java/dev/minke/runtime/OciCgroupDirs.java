package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes a container's cgroup directories from a later process than the one that made them
 * ({@code minke runtime delete} after {@code create}), where no {@link CgroupHandle} exists any
 * more: kill what is left, then rmdir, retrying while the kernel lets the processes go.
 */
final class OciCgroupDirs {
  private static final int ATTEMPTS = 250; // × 20 ms

  private OciCgroupDirs() {}

  static void remove(List<Path> dirs) throws InterruptedException {
    for (Path dir : dirs) {
      removeOne(dir);
    }
  }

  private static void removeOne(Path dir) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      if (!Files.isDirectory(dir)) {
        return;
      }
      try {
        killAll(dir);
        Files.delete(dir); // rmdir: control files are not real files
        return;
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw new CgroupException("", dir, "cannot remove the cgroup " + dir + ": " + e.getMessage(),
              "look for processes still in " + dir.resolve("cgroup.procs"), e);
        }
        Thread.sleep(20);
      }
    }
  }

  // cgroup.kill (v2, Linux 5.14+) kills every process at once; else one by one.
  private static void killAll(Path dir) throws IOException {
    Path kill = dir.resolve("cgroup.kill");
    if (Files.exists(kill)) {
      Files.writeString(kill, "1");
      return;
    }
    for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
      if (!pid.isBlank()) {
        Signals.send(Long.parseLong(pid.strip()), Signals.SIGKILL);
      }
    }
  }
}
