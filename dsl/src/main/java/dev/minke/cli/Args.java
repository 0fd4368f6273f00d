package dev.minke.cli;

import java.util.ArrayList;
import java.util.List;

/** Small helpers for reading a verb's arguments: positional values and {@code -o FILE} options. */
final class Args {
  private final List<String> positional = new ArrayList<>();
  private final java.util.Map<String, String> options = new java.util.HashMap<>();
  private final java.util.Set<String> flags = new java.util.HashSet<>();

  private Args() {}

  /**
   * Splits arguments into positional values, options that take a value ({@code valued}, e.g.
   * {@code -o}) and boolean flags ({@code booleans}); anything else starting with '-' is an error.
   */
  static Args parse(List<String> args, List<String> valued, List<String> booleans) throws UsageException {
    Args result = new Args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
      if (valued.contains(name)) {
        if (eq > 0 && arg.startsWith("--")) {
          result.options.put(name, arg.substring(eq + 1));
        } else if (i + 1 < args.size()) {
          result.options.put(name, args.get(++i));
        } else {
          throw new UsageException(name + " needs a value");
        }
      } else if (booleans.contains(arg)) {
        result.flags.add(arg);
      } else if (arg.startsWith("-") && arg.length() > 1) {
        throw new UsageException("unknown option " + arg);
      } else {
        result.positional.add(arg);
      }
    }
    return result;
  }

  static void none(List<String> args) throws UsageException {
    if (!args.isEmpty()) {
      throw new UsageException("unexpected argument " + args.get(0));
    }
  }

  /** Exactly {@code n} positional values. */
  List<String> positional(int n) throws UsageException {
    if (positional.size() != n) {
      throw new UsageException("expected " + n + " argument" + (n == 1 ? "" : "s") + ", got " + positional.size());
    }
    return positional;
  }

  /** The positional values, at least one; {@code what} names them for the error ("image"). */
  List<String> atLeastOne(String what) throws UsageException {
    if (positional.isEmpty()) {
      throw new UsageException("name at least one " + what);
    }
    return positional;
  }

  List<String> positional() {
    return positional;
  }

  String option(String name) {
    return options.get(name);
  }

  String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    return flags.contains(name);
  }
}
