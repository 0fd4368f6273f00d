package dev.minke.build;

import dev.minke.build.dockerfile.ShellExpander;
import dev.minke.build.dockerfile.ShellExpansionException;
import java.util.Map;

/**
 * Dockerfile variable substitution in instruction arguments, exactly as BuildKit does it (see
 * {@link ShellExpander}): {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}}, {@code
 * ${NAME:+word}}, {@code ${NAME#pattern}} and the rest; quotes are removed and {@code \}
 * escapes, so a DSL step and the same Dockerfile instruction expand to the same text. Unset
 * variables expand to the empty string, as in Docker.
 */
final class Expander {
  private static final ShellExpander SHELL = ShellExpander.standard();
  private final Map<String, String> variables;
  private final String step;

  Expander(Map<String, String> variables, String step) {
    this.variables = Map.copyOf(variables);
    this.step = step;
  }

  String expand(String text) {
    try {
      return SHELL.expand(text, variables);
    } catch (ShellExpansionException e) {
      throw new BuildInputException(step, "cannot expand \"" + text + "\": " + e.reason(),
          "close quotes and ${…}; write a literal dollar sign as \\$", e);
    }
  }
}
