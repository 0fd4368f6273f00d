package dev.minke.image;

import dev.minke.error.MinkeException;

/** A manifest, index or config that is not valid JSON of the expected shape. */
public class MalformedDocumentException extends MinkeException {
  private final String documentType;

  public MalformedDocumentException(String documentType, Throwable cause) {
    super(
        "malformed " + documentType + ": " + rootMessage(cause),
        "the blob is corrupt or not an OCI/Docker document; run `minke fsck`",
        cause);
    this.documentType = documentType;
  }

  public String documentType() {
    return documentType;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }
}
