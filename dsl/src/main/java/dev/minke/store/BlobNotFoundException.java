package dev.minke.store;

import dev.minke.error.MinkeException;
import dev.minke.image.Digest;

/** A blob the caller asked for is not in the store. */
public class BlobNotFoundException extends MinkeException {
  private final Digest digest;

  public BlobNotFoundException(Digest digest) {
    super(
        "blob " + digest + " is not in the store",
        "the image that needs it is incomplete; run `minke fsck`, then pull or load the image again");
    this.digest = digest;
  }

  public Digest digest() {
    return digest;
  }
}
