package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One line of {@code /proc/PID/stat}: the process state, its parent and its start time. The
 * start time (field 22, clock ticks after boot) tells a living process from a newer one that
 * got the same PID after it ended.
 */
record ProcStat(long pid, char state, long parentPid, long startTicks) {

  /** The process now, or empty when there is none. */
  static Optional<ProcStat> of(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // Gone, or gone while we read.
    }
  }

  /**
   * Parses a stat line. The command name (field 2) is in parentheses and may hold spaces and
   * parentheses itself, so fields are counted after the last {@code ')'}.
   */
  static ProcStat parse(long pid, String line) {
    String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    return new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[22 - 3]));
  }

  /**
   * Whether {@code pid} is still the process that started at {@code startTicks} (0: not known,
   * any process with that PID counts) and has not ended: a zombie has ended.
   */
  static boolean alive(long pid, long startTicks) {
    Optional<ProcStat> stat = of(pid);
    return stat.isPresent() && stat.get().running() && (startTicks == 0 || stat.get().startTicks() == startTicks);
  }

  /** Not a zombie (Z) or dead (X). */
  boolean running() {
    return state != 'Z' && state != 'X';
  }
}
