package dev.minke.image;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The union of layers stacked in order, the way overlayfs shows them: what exists in an image's
 * filesystem after its first n layers.
 *
 * <p>Stacking applies a layer's opaque directories first (image-spec: "applied first regardless
 * of position"), then its whiteouts, then its entries; a non-directory entry hides whatever a
 * lower directory of that name held. Immutable: {@link #stack} returns a new tree.
 */
public final class FileTree {
  private static final FileTree EMPTY = new FileTree(new TreeMap<>());

  private final TreeMap<String, FileInfo> entries;

  private FileTree(TreeMap<String, FileInfo> entries) {
    this.entries = entries;
  }

  /** The empty filesystem, below the first layer. */
  public static FileTree empty() {
    return EMPTY;
  }

  /** The union of the given layers, bottom first. */
  public static FileTree of(List<LayerListing> layers) {
    FileTree tree = EMPTY;
    for (LayerListing layer : layers) {
      tree = tree.stack(layer);
    }
    return tree;
  }

  /** This tree with {@code upper} applied on top. */
  public FileTree stack(LayerListing upper) {
    TreeMap<String, FileInfo> union = new TreeMap<>(entries);
    for (String dir : upper.opaqueDirs()) {
      descendants(union, dir).clear();
    }
    for (String path : upper.whiteouts()) {
      union.remove(path);
      descendants(union, path).clear();
    }
    for (FileInfo info : upper.entries().values()) {
      if (!info.isDirectory()) {
        descendants(union, info.path()).clear();
      }
      union.put(info.path(), info);
    }
    return new FileTree(union);
  }

  /** The entry at a path, which is cleaned first. */
  public Optional<FileInfo> get(String path) {
    return Optional.ofNullable(entries.get(TarPaths.clean(path)));
  }

  /** Every entry strictly below a directory path (cleaned first; "" is the root), by path. */
  public SortedMap<String, FileInfo> descendants(String dir) {
    return Collections.unmodifiableSortedMap(descendants(entries, TarPaths.clean(dir)));
  }

  /** Every entry, by path. */
  public SortedMap<String, FileInfo> entries() {
    return Collections.unmodifiableSortedMap(entries);
  }

  /** The sum of the entries' sizes. */
  public long sizeBytes() {
    long total = 0;
    for (FileInfo info : entries.values()) {
      total += info.sizeBytes();
    }
    return total;
  }

  @Override
  public String toString() {
    return "FileTree[" + entries.size() + " entries, " + ByteSizes.human(sizeBytes()) + "]";
  }

  /**
   * A live view of the entries under {@code dir}. '0' is the character after '/', so the range
   * {@code [dir/, dir0)} holds exactly the paths below {@code dir} and none of its siblings
   * ({@code dir-x}, {@code dir.d}).
   */
  private static SortedMap<String, FileInfo> descendants(
      TreeMap<String, FileInfo> map, String dir) {
    return dir.isEmpty() ? map : map.subMap(dir + "/", dir + "0");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FileTree tree && entries.equals(tree.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }
}
