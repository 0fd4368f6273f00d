package dev.minke.dsl;

import dev.minke.error.MinkeException;

/**
 * A service of a stack could not be started. Everything {@code up()} had started by then was
 * stopped and removed again, and the network too if {@code up()} made it; {@code service} names
 * the service that failed, the cause says why.
 */
public final class StackStartException extends MinkeException {
  private final String stack;
  private final String service;

  public StackStartException(String stack, String service, RuntimeException cause) {
    super("stack " + stack + ": service " + service + " could not be started: " + cause.getMessage()
        + "; the services started before it were stopped and removed", hintOf(cause), cause);
    this.stack = stack;
    this.service = service;
  }

  public String stack() {
    return stack;
  }

  public String service() {
    return service;
  }

  private static String hintOf(RuntimeException cause) {
    return cause instanceof MinkeException m ? "" : "fix the service and call up() again";
  }
}
