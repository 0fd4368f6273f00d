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
  private final String problem;
  private final String hint;

  public MinkeException(String problem, String hint) {
    this(problem, hint, null);
  }

  public MinkeException(String problem, String hint, Throwable cause) {
    super(withHint(problem, hint), cause, true, !Boolean.getBoolean("minke.compactErrors"));
    this.problem = problem;
    this.hint = hint == null ? "" : hint;
  }

  /** What went wrong, naming the thing (the message without the hint). */
  public String problem() {
    return problem;
  }

  /** What the user can do about it; empty when there is nothing to suggest. */
  public String hint() {
    return hint;
  }

  // getMessage() carries the hint too, so that JShell's one-line report shows the fix.
  private static String withHint(String problem, String hint) {
    return hint == null || hint.isEmpty() ? problem : problem + " (hint: " + hint + ")";
  }
}
