package dev.minke.image;

/**
 * How {@link OverlayUpperDir} reads an overlayfs upper directory.
 *
 * @param readXattrs keep {@code user.*} and {@code security.capability} attributes, so that a
 *     {@code setcap} in a {@code RUN} step survives; overlay's own attributes are never kept
 */
public record OverlayUpperOptions(boolean readXattrs) {

  /** Extended attributes kept, as Docker keeps file capabilities set in a container. */
  public static OverlayUpperOptions defaults() {
    return new OverlayUpperOptions(true);
  }

  public OverlayUpperOptions withReadXattrs(boolean read) {
    return new OverlayUpperOptions(read);
  }
}
