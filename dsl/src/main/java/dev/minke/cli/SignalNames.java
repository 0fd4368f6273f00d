package dev.minke.cli;

import java.util.Locale;
import java.util.Map;

/** Signal names as Docker's {@code --signal} takes them: {@code KILL}, {@code SIGTERM} or {@code 9}. */
final class SignalNames {
  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("KILL", 9),
      Map.entry("USR1", 10), Map.entry("USR2", 12), Map.entry("TERM", 15), Map.entry("CONT", 18),
      Map.entry("STOP", 19), Map.entry("WINCH", 28));

  private SignalNames() {}

  static int parse(String name) throws UsageException {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.chars().allMatch(Character::isDigit) && !upper.isEmpty() && upper.length() < 3) {
      return Integer.parseInt(upper);
    }
    Integer number = NUMBERS.get(upper.startsWith("SIG") ? upper.substring(3) : upper);
    if (number == null) {
      throw new UsageException("unknown signal \"" + name + "\": use a name such as TERM, KILL, HUP or a number");
    }
    return number;
  }
}
