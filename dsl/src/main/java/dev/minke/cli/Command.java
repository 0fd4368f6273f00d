package dev.minke.cli;

import java.io.PrintStream;
import java.util.List;

/** One `minke` verb. Returns the process exit code; throws MinkeException for user errors. */
interface Command {
  /** The usage line shown by {@code minke help}, e.g. {@code "layer apply TAR DIR"}. */
  String usage();

  /** One sentence saying what the verb does. */
  String summary();

  int run(List<String> args, PrintStream out) throws Exception;
}
