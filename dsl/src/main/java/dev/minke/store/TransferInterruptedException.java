package dev.minke.store;

import dev.minke.error.InterruptedOperationException;

/**
 * A pull or push was interrupted. Its transfers were aborted and waited for before this was
 * thrown: a pull leaves no blob, temp file or tag of the image in the store; a push writes no
 * manifest or tag, though the registry may keep the blobs it finished (a later push skips them).
 * The thread's interrupt status is set again.
 */
public final class TransferInterruptedException extends InterruptedOperationException {
  /** Which way the image was going. */
  public enum Direction { PULL, PUSH }

  private final Direction direction;
  private final String reference;

  public TransferInterruptedException(Direction direction, String reference, Throwable cause) {
    super((direction == Direction.PULL ? "pull of " : "push to ") + reference + " interrupted",
        direction == Direction.PULL ? "nothing of it was stored; pull again to get it"
            : "no tag was written; blobs already uploaded are skipped when you push again", cause);
    this.direction = direction;
    this.reference = reference;
  }

  public Direction direction() {
    return direction;
  }

  /** The image pulled, or the target of the push. */
  public String reference() {
    return reference;
  }
}
