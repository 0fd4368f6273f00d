package dev.minke.image;

/**
 * Signals, inside extraction, that the current entry must be refused; LayerApplier turns it into
 * an {@link UnsafeLayerException} naming the entry.
 */
final class Refusal extends RuntimeException {
  Refusal(String reason) {
    // No stack trace: this is control flow for a hostile input, not a bug.
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
