package dev.minke.kernel;

/**
 * Why a cell failed before or around its code: a compile error (with the line and a caret), an
 * unresolved name, unfinished code, or an {@link Error} the code threw (kept as the cause).
 * Exceptions the code throws reach the kernel as themselves.
 */
final class CellException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CellException(String message) {
    super(message, null, false, false);
  }

  CellException(Throwable thrownByCell) {
    super(thrownByCell.getClass().getSimpleName() + ": " + thrownByCell.getMessage(), thrownByCell, false, false);
  }

  /** The exception the cell's code threw, if it threw one. */
  Throwable thrown() {
    return getCause();
  }
}
