package dev.minke.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * The container's root filesystem as an overlay: read-only lower directories (the image's
 * snapshots, topmost first, as short names relative to {@code overlayDir}), the container's own
 * upper and work directories, and the empty directory it is mounted on.
 *
 * <p>Relative lower names keep the mount data under the kernel's one-page limit for images
 * with many layers, as Docker's overlay2 does with its {@code l/} links.
 */
public record RootfsPlan(Path overlayDir, List<String> lowers, Path upper, Path work, Path target) {
  public RootfsPlan {
    lowers = List.copyOf(lowers);
    if (lowers.isEmpty()) {
      throw new IllegalArgumentException("an overlay root filesystem needs at least one lower layer");
    }
  }

  /** The lower directories as absolute paths, topmost first. */
  public List<Path> lowerPaths() {
    return lowers.stream().map(overlayDir::resolve).toList();
  }

  /** The {@code mount -o} data an OCI runtime or util-linux mount would take. */
  public String mountOptions() {
    return "lowerdir=" + String.join(":", lowerPaths().stream().map(Path::toString).toList())
        + ",upperdir=" + upper + ",workdir=" + work;
  }
}
