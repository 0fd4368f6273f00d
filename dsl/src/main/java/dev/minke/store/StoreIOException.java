package dev.minke.store;

import dev.minke.error.MinkeException;
import java.io.IOException;
import java.nio.file.Path;

/** The store could not be read or written: disk full, permissions, a vanished directory. */
public class StoreIOException extends MinkeException {
  private final Path path;

  public StoreIOException(String action, Path path, IOException cause) {
    super(action + " " + path + " failed: " + reason(cause), hintFor(cause), cause);
    this.path = path;
  }

  public Path path() {
    return path;
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  private static String hintFor(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left")) {
      return "free disk space (or run `minke gc`) and try again; the store was left as it was";
    }
    if (e instanceof java.nio.file.AccessDeniedException || message.contains("Permission denied")) {
      return "check the permissions of $MINKE_HOME, or point MINKE_HOME at a directory you own";
    }
    return "check that $MINKE_HOME is on a writable local disk; the store was left as it was";
  }
}
