package dev.minke.kernel;

import dev.minke.error.MinkeException;

/** A cell magic was written wrong: an unknown option, a missing value, an empty body. */
final class MagicUsageException extends MinkeException {
  private static final long serialVersionUID = 1L;

  MagicUsageException(String problem, String hint) {
    super(problem, hint);
  }
}
