package dev.minke.kernel;

import dev.minke.error.MinkeException;

/** A cell went on running after an interrupt: its code does not check for interrupts. */
final class CellNotStoppedException extends MinkeException {
  private static final long serialVersionUID = 1L;

  CellNotStoppedException(long waitedMillis) {
    super("the cell did not stop within " + waitedMillis / 1000 + " s of the interrupt and goes on running in the"
        + " background", "code that never waits (a busy loop) cannot be interrupted; restart the kernel to stop it");
  }
}
