package dev.minke.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an overlayfs upper directory as the layer it is: overlay's markers become OCI whiteouts.
 *
 * <p>A character device 0/0 becomes {@code .wh.<name>}; a directory marked opaque ({@code
 * trusted.overlay.opaque=y}, or {@code user.overlay.opaque=y} under {@code userxattr}) becomes
 * the directory plus {@code .wh..wh..opq} inside it. Owners and modes are kept as the container
 * left them, and overlay's own attributes ({@code origin}, {@code impure}…) never reach the
 * layer. The walk reads only the upper directory, so its cost follows what the container
 * changed, not the size of the image (containerd's {@code overlayFSWhiteoutConvert} and
 * Docker's overlay2 "native diff" do the same).
 */
public final class OverlayUpperDir {
  private OverlayUpperDir() {}

  /**
   * The layer entries for {@code upperDir}, in layer order.
   *
   * @throws OverlayDiffUnsupportedException if an entry uses redirect_dir or metacopy
   */
  public static List<LayerEntry> entries(Path upperDir, OverlayUpperOptions options)
      throws IOException {
    DirectoryLayerOptions listing =
        DirectoryLayerOptions.defaults()
            .withPreserveOwnership(true)
            .withReadXattrs(options.readXattrs());
    return DirectoryLayers.entries(upperDir, listing, OverlayUpperDir::convert);
  }

  private static List<LayerEntry> convert(Path hostPath, LayerEntry entry) throws IOException {
    return switch (OverlayXattrs.marker(hostPath)) {
      case WHITEOUT -> List.of(LayerEntry.whiteout(entry.path()));
      case OPAQUE -> List.of(withoutOverlayXattrs(entry), LayerEntry.opaque(entry.path()));
      case NONE -> List.of(withoutOverlayXattrs(entry));
    };
  }

  /** Xattrs reads {@code user.*}, which holds overlay's own attributes under userxattr. */
  private static LayerEntry withoutOverlayXattrs(LayerEntry entry) {
    var xattrs = entry.xattrsView();
    var kept = OverlayXattrs.withoutPrivate(xattrs);
    return kept == xattrs ? entry : entry.withXattrs(kept);
  }
}
