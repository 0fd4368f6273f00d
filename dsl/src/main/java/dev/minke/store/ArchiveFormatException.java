package dev.minke.store;

import dev.minke.error.MinkeException;

/**
 * An image archive ({@code minke load}) is not one, is damaged or truncated, or does not hold
 * what its own index or manifest names. Nothing of it was tagged.
 */
public class ArchiveFormatException extends MinkeException {
  static final String RESAVE_HINT =
      "the archive was damaged or cut short in transit or on disk; save or copy it again"
          + " (nothing was loaded)";

  private final String source;
  private final String reason;

  public ArchiveFormatException(String source, String problem, String hint) {
    this(source, problem, hint, null);
  }

  public ArchiveFormatException(String source, String problem, String hint, Throwable cause) {
    super("archive " + source + " " + problem, hint, cause);
    this.source = source;
    this.reason = problem;
  }

  /** The archive, as the user named it ({@code busybox.tar}, {@code stdin}). */
  public String source() {
    return source;
  }

  /** What is wrong with it, without the archive's name. */
  public String reason() {
    return reason;
  }
}
