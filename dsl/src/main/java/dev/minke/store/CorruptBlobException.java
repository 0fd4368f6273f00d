package dev.minke.store;

import dev.minke.error.MinkeException;
import dev.minke.image.Digest;

/** A blob's content does not match its digest: it was damaged on disk or in transit. */
public class CorruptBlobException extends MinkeException {
  private final Digest expected;
  private final Digest actual;

  public CorruptBlobException(Digest expected, Digest actual, String where) {
    super(
        "blob " + expected + " " + where + " is corrupt: its content hashes to " + actual,
        "run `minke fsck` to list damaged content, `minke rmi` the images that use it, and pull"
            + " or load them again");
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
