package dev.minke.image;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The paths the layer being applied has written, and their ancestors, so that whiteouts only
 * remove what lower layers put there (image-spec: a whiteout never hides its own layer's files).
 */
final class WrittenPaths {
  private final Path root;
  private final Set<Path> written = new HashSet<>();
  private final Set<Path> ancestors = new HashSet<>();

  WrittenPaths(Path root) {
    this.root = root;
  }

  void add(Path path) {
    written.add(path);
    for (Path p = path.getParent(); p != null && p.startsWith(root); p = p.getParent()) {
      if (!ancestors.add(p)) {
        break; // Its own ancestors were recorded when it was.
      }
    }
  }

  boolean isWritten(Path path) {
    return written.contains(path);
  }

  /** True when this layer wrote the path or something below it. */
  boolean touches(Path path) {
    return written.contains(path) || ancestors.contains(path);
  }
}
