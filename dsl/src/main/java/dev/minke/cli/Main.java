package dev.minke.cli;

import dev.minke.error.MinkeException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The `minke` command line: dispatches to a verb and turns errors into one clear line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  /** Runs one command line; the exit code is 0 on success, 1 on error, 2 on bad usage. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Map<String, Command> verbs = Commands.all();
    if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
      printHelp(verbs, out);
      return args.isEmpty() ? 2 : 0;
    }
    // Two-word verbs ("layer apply") are registered under their full name.
    Command command = null;
    int consumed = 0;
    if (args.size() >= 2) {
      command = verbs.get(args.get(0) + " " + args.get(1));
      consumed = 2;
    }
    if (command == null) {
      command = verbs.get(args.get(0));
      consumed = 1;
    }
    if (command == null) {
      err.println("minke: unknown command \"" + String.join(" ", args.subList(0, Math.min(2, args.size())))
          + "\" (run `minke help` for the list)");
      return 2;
    }
    try {
      return command.run(args.subList(consumed, args.size()), out);
    } catch (UsageException e) {
      err.println("minke: " + e.getMessage());
      err.println("usage: minke " + command.usage());
      return 2;
    } catch (MinkeException e) {
      err.println("minke: " + e.problem());
      if (!e.hint().isEmpty()) {
        err.println("hint: " + e.hint());
      }
      return 1;
    } catch (Exception e) {
      err.println("minke: " + e);
      return 1;
    }
  }

  private static void printHelp(Map<String, Command> verbs, PrintStream out) {
    out.println("usage: minke COMMAND [ARGS]");
    out.println();
    int width = verbs.values().stream().mapToInt(c -> c.usage().length()).max().orElse(10);
    for (Command c : verbs.values()) {
      out.printf("  %-" + width + "s  %s%n", c.usage(), c.summary());
    }
  }
}
