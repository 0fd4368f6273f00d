package dev.minke.runtime;

import java.util.List;
import java.util.Locale;

/** Signal names and numbers as {@code kill}/{@code runc kill} take them: KILL, SIGKILL, 9, RTMIN+3. */
public final class OciSignal {
  /** Linux's numbering (x86 and arm64 alike), index = number; "" where there is no name. */
  private static final List<String> NAMES = List.of(
      "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
      "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
      "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
  private static final int RTMIN = 34;
  private static final int RTMAX = 64;

  private OciSignal() {}

  /**
   * The number of a signal given by name (any case, with or without {@code SIG}) or number.
   *
   * @throws IllegalArgumentException naming the value when it is no signal
   */
  public static int parse(String signal) {
    String s = signal.strip().toUpperCase(Locale.ROOT);
    if (s.matches("[0-9]{1,2}")) {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= RTMAX) {
        return n;
      }
    }
    String name = s.startsWith("SIG") ? s.substring(3) : s;
    switch (name) {
      case "IOT" -> name = "ABRT";
      case "POLL" -> name = "IO";
      case "CLD" -> name = "CHLD";
      default -> { }
    }
    int index = NAMES.indexOf(name);
    if (index > 0) {
      return index;
    }
    if (name.matches("RTMIN(\\+[0-9]{1,2})?") || name.matches("RTMAX(-[0-9]{1,2})?")) {
      int n = name.startsWith("RTMIN") ? RTMIN + offset(name) : RTMAX - offset(name);
      if (n >= RTMIN && n <= RTMAX) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown signal \"" + signal + "\": use a name like KILL or SIGTERM,"
        + " or a number from 1 to " + RTMAX);
  }

  private static int offset(String name) {
    return name.length() > 5 ? Integer.parseInt(name.substring(6)) : 0;
  }
}
