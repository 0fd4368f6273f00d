package dev.minke.error;

/**
 * Base of every error Minke's public API throws: a message that names the problem and a hint
 * that names the fix.
 *
 * <p>Unchecked so that JShell cells and lambdas stay pleasant. Subclasses keep the facts of the
 * failure as fields; front ends print {@link #getMessage()} and {@link #hint()} in one place.
 * When the system property {@code minke.compactErrors} is {@code true} (the JShell startup sets
 * it) no stack trace is recorded, so JShell shows the error as one line instead of a trace.
 */
public class MinkeException extends RuntimeException {
  private final String hint;

  public MinkeException(String message, String hint) {
    this(message, hint, null);
  }

  public MinkeException(String message, String hint, Throwable cause) {
    super(message, cause, true, !Boolean.getBoolean("minke.compactErrors"));
    this.hint = hint == null ? "" : hint;
  }

  /** What the user can do about it; empty when there is nothing to suggest. */
  public String hint() {
    return hint;
  }

  /** The message and the hint as one text, the way front ends show an error. */
  public String describe() {
    return hint.isEmpty() ? getMessage() : getMessage() + " (" + hint + ")";
  }
}
