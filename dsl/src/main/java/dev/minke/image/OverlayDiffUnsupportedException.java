package dev.minke.image;

import dev.minke.error.MinkeException;
import java.nio.file.Path;

/**
 * An overlayfs upper directory that is not a plain diff: an entry uses redirect_dir or metacopy,
 * so its name or data live in a lower layer and the upper entry alone would lose them.
 */
public final class OverlayDiffUnsupportedException extends MinkeException {
  private final Path upperPath;
  private final String attribute;

  OverlayDiffUnsupportedException(Path upperPath, String attribute) {
    super(
        "overlay upper entry \"" + upperPath + "\" has `" + attribute
            + "`: its name or data come from a lower layer, so the upper directory is not a "
            + "plain diff",
        "mount the overlay without redirect_dir=on and metacopy=on (Minke never sets them), "
            + "or compute the layer by comparing the merged tree with its lower layers");
    this.upperPath = upperPath;
    this.attribute = attribute;
  }

  /** The host path of the entry that carries the attribute. */
  public Path upperPath() {
    return upperPath;
  }

  /** The overlay attribute found, e.g. {@code trusted.overlay.redirect}. */
  public String attribute() {
    return attribute;
  }
}
