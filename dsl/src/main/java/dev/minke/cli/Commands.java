package dev.minke.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The table of `minke` verbs, in the order `minke help` lists them. */
final class Commands {
  private Commands() {}

  static Map<String, Command> all() {
    Map<String, Command> verbs = new LinkedHashMap<>();
    // Each verb registers here on its own line.
    verbs.put("layer apply", new LayerApplyCommand());
    return verbs;
  }
}
