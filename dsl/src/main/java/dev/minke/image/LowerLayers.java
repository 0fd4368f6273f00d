package dev.minke.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a container's lower layers held before it ran, asked one path at a time by {@link
 * ContainerChanges}. Paths are relative and slash-separated; {@code ""} is the root.
 */
public interface LowerLayers {
  /** Whether {@code path} existed, of any type. */
  boolean exists(String path) throws IOException;

  /** The names directly inside {@code dir}; empty when it was not a directory. */
  SortedSet<String> children(String dir) throws IOException;

  /**
   * Overlay layer directories, topmost first as in {@code lowerdir}, read on disk the way
   * overlayfs merges them: char 0/0 whiteouts and opaque directories hide what is below.
   */
  static LowerLayers onDisk(List<Path> lowerDirs) {
    return new OverlayLowerDirs(lowerDirs);
  }

  /** The union of image layers, e.g. from their tar listings, with nothing read from disk. */
  static LowerLayers of(FileTree tree) {
    return new LowerLayers() {
      @Override
      public boolean exists(String path) {
        // Layers may leave parent directories implicit: a descendant proves the directory.
        return tree.get(path).isPresent() || !tree.descendants(path).isEmpty();
      }

      @Override
      public SortedSet<String> children(String dir) {
        SortedSet<String> names = new TreeSet<>();
        int start = dir.isEmpty() ? 0 : dir.length() + 1;
        for (String path : tree.descendants(dir).keySet()) {
          int slash = path.indexOf('/', start);
          names.add(slash < 0 ? path.substring(start) : path.substring(start, slash));
        }
        return names;
      }
    };
  }
}
