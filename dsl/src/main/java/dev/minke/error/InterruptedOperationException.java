package dev.minke.error;

/**
 * An operation stopped because its thread was interrupted (a notebook cell's interrupt, {@code
 * Future.cancel(true)}). Whoever throws it has already undone what the operation left half done
 * (processes killed, partial files removed) and set the thread's interrupt status again.
 * Subclasses say where the operation stopped.
 */
public class InterruptedOperationException extends MinkeException {
  public InterruptedOperationException(String problem, String hint) {
    super(problem, hint);
  }

  public InterruptedOperationException(String problem, String hint, Throwable cause) {
    super(problem, hint, cause);
  }
}
