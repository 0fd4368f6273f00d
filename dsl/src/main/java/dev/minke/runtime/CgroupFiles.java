package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** Reading, writing, emptying and removing cgroup directories: what v1 and v2 share. */
final class CgroupFiles {
  private static final long KILL_TIMEOUT_MILLIS = 5_000;
  private static final long RMDIR_TIMEOUT_MILLIS = 2_000;

  private CgroupFiles() {}

  /** Stops and restarts every process of a cgroup, so that none can fork while signalled. */
  interface Freezer {
    Freezer NONE =
        new Freezer() {
          @Override
          public void freeze() {}

          @Override
          public void thaw() {}
        };

    void freeze();

    void thaw();
  }

  /** Writes one control file, naming the file and the kernel's answer on failure. */
  static void write(CgroupFs fs, String controller, Path file, String value) {
    try {
      fs.write(file, value);
    } catch (NoSuchFileException e) {
      throw new CgroupException(
          controller, file, "cannot set " + file + ": the file does not exist",
          "the " + controller + " controller is not enabled for this cgroup");
    } catch (IOException e) {
      throw new CgroupException(
          controller, file, "cannot write `" + value.strip() + "` to " + file + ": " + reason(e),
          CgroupException.DELEGATION_HINT, e);
    }
  }

  /** Creates {@code dir}; an existing one is fine when {@code mayExist} (the shared parents). */
  static void mkdir(CgroupFs fs, String controller, Path dir, boolean mayExist) {
    try {
      fs.mkdir(dir);
    } catch (FileAlreadyExistsException e) {
      if (!mayExist) {
        throw new CgroupException(
            controller, dir, "cgroup " + dir + " already exists",
            "pick another name, or if it is a leftover (Cgroups.leftovers() lists them) "
                + "remove it with `rmdir " + dir + "`");
      }
    } catch (IOException e) {
      throw new CgroupException(
          controller, dir, "cannot create cgroup " + dir + ": " + reason(e),
          CgroupException.DELEGATION_HINT, e);
    }
  }

  /** The number in a one-number file; empty when the file is missing or says {@code max}. */
  static OptionalLong readLong(CgroupFs fs, Path file) {
    String text = readOrEmpty(fs, file).strip();
    if (text.isEmpty() || text.equals("max")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(text));
  }

  /** The value of {@code key} in a flat-keyed file ({@code memory.events}, {@code cpu.stat}). */
  static OptionalLong readKey(CgroupFs fs, Path file, String key) {
    for (String line : readOrEmpty(fs, file).split("\n")) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2 && parts[0].equals(key)) {
        return OptionalLong.of(Long.parseLong(parts[1]));
      }
    }
    return OptionalLong.empty();
  }

  static String readOrEmpty(CgroupFs fs, Path file) {
    try {
      return fs.read(file);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new CgroupException("", file, "cannot read " + file + ": " + reason(e), "");
    }
  }

  /** Every pid in any of {@code procsFiles}. */
  static Set<Long> pids(CgroupFs fs, List<Path> procsFiles) {
    Set<Long> pids = new TreeSet<>();
    for (Path file : procsFiles) {
      for (String line : readOrEmpty(fs, file).split("\n")) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.strip()));
        }
      }
    }
    return pids;
  }

  /**
   * Signals every process in {@code procsFiles}, frozen meanwhile; for SIGKILL, again until
   * the cgroup is empty.
   */
  static void killAll(CgroupFs fs, List<Path> procsFiles, int signal, Freezer freezer) {
    long deadline = System.currentTimeMillis() + KILL_TIMEOUT_MILLIS;
    Set<Long> pids = pids(fs, procsFiles);
    while (!pids.isEmpty()) {
      refuseSelf(pids, procsFiles);
      freezer.freeze();
      try {
        // Read again once frozen: the list is complete only when nothing can fork.
        for (long pid : pids(fs, procsFiles)) {
          Signals.send(pid, signal);
        }
      } finally {
        freezer.thaw();
      }
      if (signal != Signals.SIGKILL) {
        return;
      }
      pids = waitEmpty(fs, procsFiles, Math.min(deadline, System.currentTimeMillis() + 200));
      if (!pids.isEmpty() && System.currentTimeMillis() > deadline) {
        throw new CgroupException(
            "", procsFiles.get(0),
            "processes " + pids + " are still in " + procsFiles + " after SIGKILL",
            "a process in uninterruptible sleep (D state) cannot die until its I/O ends; "
                + "look at /proc/<pid>/stack");
      }
    }
  }

  /** Polls until no pid is left or {@code deadlineMillis} passes; returns what is left. */
  static Set<Long> waitEmpty(CgroupFs fs, List<Path> procsFiles, long deadlineMillis) {
    Set<Long> pids = pids(fs, procsFiles);
    while (!pids.isEmpty() && System.currentTimeMillis() < deadlineMillis) {
      sleep(5);
      pids = pids(fs, procsFiles);
    }
    return pids;
  }

  /**
   * Removes {@code dirs} with rmdir, each retried while the kernel answers EBUSY (processes
   * that were killed can take a moment to leave). Missing directories are fine.
   */
  static void rmdirAll(CgroupFs fs, List<Path> dirs) {
    CgroupException first = null;
    for (Path dir : dirs) {
      try {
        rmdir(fs, dir);
      } catch (CgroupException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void rmdir(CgroupFs fs, Path dir) {
    long deadline = System.currentTimeMillis() + RMDIR_TIMEOUT_MILLIS;
    while (true) {
      try {
        fs.rmdir(dir);
        return;
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new CgroupException(
              "", dir, "cannot remove cgroup " + dir + ": " + reason(e),
              "its processes must be gone first: call killAll(9) before remove()", e);
        }
        sleep(20);
      }
    }
  }

  private static void refuseSelf(Set<Long> pids, List<Path> procsFiles) {
    long self = ProcessHandle.current().pid();
    if (pids.contains(self)) {
      throw new CgroupException(
          "", procsFiles.get(0),
          "this JVM (pid " + self + ") is itself in " + procsFiles + "; refusing to kill it",
          "write only the container's pid into the cgroup.procs files, never the JVM's");
    }
  }

  static String reason(IOException e) {
    String reason = e instanceof java.nio.file.FileSystemException fse ? fse.getReason() : null;
    return reason != null ? reason : String.valueOf(e.getMessage());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CgroupException("", null, "interrupted while waiting for a cgroup", "", e);
    }
  }
}
