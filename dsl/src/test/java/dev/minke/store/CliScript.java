package dev.minke.store;

import dev.minke.cli.Main;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code CliScript minke-args [--then minke-args]...}: runs several {@code minke} command lines
 * one after the other in one JVM, stopping at the first that fails, so that a concurrency test's
 * second JVM can pull, build and tag like a user would.
 */
public final class CliScript {
  private CliScript() {}

  public static void main(String[] args) {
    List<String> command = new ArrayList<>();
    for (String arg : concat(args)) {
      if (!arg.equals("--then")) {
        command.add(arg);
        continue;
      }
      run(command);
      command.clear();
    }
    System.exit(0);
  }

  private static void run(List<String> command) {
    System.out.println("$ minke " + String.join(" ", command));
    int code = Main.run(command, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  private static List<String> concat(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--then");
    return all;
  }
}
