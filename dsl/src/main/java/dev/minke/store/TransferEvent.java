package dev.minke.store;

import dev.minke.image.Digest;

/**
 * Progress of one blob in a pull or push: it started, more bytes moved, it was already there,
 * it was mounted, or it is done. {@code bytes} is the total moved so far for this blob.
 */
public record TransferEvent(Digest digest, String mediaType, Kind kind, long bytes, long totalBytes) {
  public enum Kind {
    STARTED,
    PROGRESS,
    /** The destination had it already: nothing moved. */
    EXISTS,
    /** Mounted from another repository of the same registry: nothing moved. */
    MOUNTED,
    DONE
  }
}
