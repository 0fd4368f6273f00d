package dev.minke.image;

import dev.minke.error.MinkeException;

/**
 * A layer entry that extraction refused because applying it could reach outside the target
 * directory, or because the tar is malformed in a way that hides intent (absurd sizes, names
 * that climb out of the root, invalid whiteouts).
 */
public class UnsafeLayerException extends MinkeException {
  private static final int MAX_SHOWN_CHARS = 200;

  private final String entryName;
  private final String reason;

  public UnsafeLayerException(String entryName, String reason) {
    super(
        "refused layer entry \"" + printable(entryName) + "\": " + reason,
        "the layer is malformed or hostile: do not use this image; nothing outside the target"
            + " directory was changed, discard the partly written directory");
    this.entryName = entryName;
    this.reason = reason;
  }

  /** The entry's name exactly as the tar header gives it. */
  public String entryName() {
    return entryName;
  }

  /** Why the entry was refused, e.g. {@code "path leaves the root"}. */
  public String reason() {
    return reason;
  }

  /** Escapes control characters: a hostile name must not drive the user's terminal. */
  static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && out.length() < MAX_SHOWN_CHARS; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.length() >= MAX_SHOWN_CHARS ? out + "..." : out.toString();
  }
}
