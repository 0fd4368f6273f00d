package dev.minke.dsl;

import dev.minke.error.MinkeException;

/**
 * A stack that cannot be started as declared (a dependency cycle, a dependency on a service the
 * stack lacks, a name used twice, an image the store lacks); thrown before anything starts. {@code stack} names it.
 */
public final class StackDefinitionException extends MinkeException {
  private final String stack;

  public StackDefinitionException(String stack, String problem, String hint) {
    super("stack " + stack + ": " + problem, hint);
    this.stack = stack;
  }

  public StackDefinitionException(String stack, String problem, String hint, Throwable cause) {
    super("stack " + stack + ": " + problem, hint, cause);
    this.stack = stack;
  }

  public String stack() {
    return stack;
  }
}
