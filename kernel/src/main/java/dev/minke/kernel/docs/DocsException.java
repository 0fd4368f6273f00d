package dev.minke.kernel.docs;

import dev.minke.error.MinkeException;

/** The docs build could not set up or run: what went wrong and what to do about it. */
public final class DocsException extends MinkeException {
  public DocsException(String problem, String hint) {
    super(problem, hint);
  }
}
