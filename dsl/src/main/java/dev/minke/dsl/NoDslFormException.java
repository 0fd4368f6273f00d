package dev.minke.dsl;

import dev.minke.error.MinkeException;

/**
 * A build, or a Dockerfile, holds something the DSL cannot write, so no Java source would build
 * the same image. Thrown before any source is printed: a partial translation is never shown.
 */
public final class NoDslFormException extends MinkeException {
  public NoDslFormException(String problem, String hint) {
    super(problem, hint);
  }
}
