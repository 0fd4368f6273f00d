package dev.minke.build;

/**
 * Options of a {@code copy} step: ownership ({@code --chown}) and permissions ({@code --chmod})
 * of the copied files. Unset values keep Docker's defaults: owner 0:0, the source's mode bits.
 */
public record CopyOptions(String chown, Integer chmod) {
  public CopyOptions {
    if (chown != null && chown.isBlank()) {
      throw new IllegalArgumentException("chown must name a user, e.g. \"1000:1000\" or \"app:app\"");
    }
    if (chmod != null && (chmod < 0 || chmod > 07777)) {
      throw new IllegalArgumentException(
          "chmod " + Integer.toOctalString(chmod) + " is out of range: use octal 0 to 07777, e.g. 0755");
    }
  }

  public static CopyOptions defaults() {
    return new CopyOptions(null, null);
  }

  /** Files are owned by {@code user[:group]} (names looked up in the image, or numbers). */
  public CopyOptions withChown(String userAndGroup) {
    return new CopyOptions(userAndGroup, chmod);
  }

  /** Files get these permission bits, e.g. {@code 0755}. */
  public CopyOptions withChmod(int mode) {
    return new CopyOptions(chown, mode);
  }

  /** The flags as a Dockerfile would write them, with a trailing space, or "". */
  public String flags() {
    return (chown == null ? "" : "--chown=" + chown + " ")
        + (chmod == null ? "" : "--chmod=" + Integer.toOctalString(chmod) + " ");
  }
}
