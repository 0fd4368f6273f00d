package dev.minke.image;

import dev.minke.error.MinkeException;

/** A file's size changed between listing it and writing it into a layer. */
public final class LayerInputChangedException extends MinkeException {
  private final String path;
  private final long expectedBytes;
  private final long actualBytes;

  /** {@code actualBytes} is -1 when the file turned out longer than expected. */
  public LayerInputChangedException(String path, long expectedBytes, long actualBytes) {
    super(
        "file " + path + " changed while it was written into a layer: expected " + expectedBytes
            + " bytes, " + (actualBytes < 0 ? "found more" : "found " + actualBytes),
        "make sure nothing writes to the source directory during the build, then retry");
    this.path = path;
    this.expectedBytes = expectedBytes;
    this.actualBytes = actualBytes;
  }

  public String path() {
    return path;
  }

  public long expectedBytes() {
    return expectedBytes;
  }

  public long actualBytes() {
    return actualBytes;
  }
}
