package dev.minke.store;

import dev.minke.error.MinkeException;
import java.nio.file.Path;

/** {@code minke export --oci DIR} cannot write there: DIR holds something else, or a write failed. */
public class LayoutExportException extends MinkeException {
  private final Path dir;

  public LayoutExportException(Path dir, String problem, String hint, Throwable cause) {
    super("cannot export an OCI layout to " + dir + ": " + problem, hint, cause);
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }
}
