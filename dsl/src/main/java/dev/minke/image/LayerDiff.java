package dev.minke.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one layer added, modified and deleted, relative to the union of the layers below it; each
 * list sorted by path.
 *
 * <p>A path the layer writes is ADDED if absent below and MODIFIED if its type, content, mode,
 * owner or link target differ from below; a re-emitted parent directory with the same metadata is
 * no change. DELETED lists every path that existed below and is gone after the layer: whited-out
 * paths and everything under them, the lower contents of opaque directories that the layer does
 * not write again, and the contents of a lower directory that the layer replaces with a
 * non-directory. Each deleted entry, directories included, is listed and counted on its own.
 */
public record LayerDiff(
    List<FileChange> added, List<FileChange> modified, List<FileChange> deleted) {

  public LayerDiff {
    added = List.copyOf(added);
    modified = List.copyOf(modified);
    deleted = List.copyOf(deleted);
  }

  /** The changes {@code layer} makes to {@code below}, the union of the layers under it. */
  public static LayerDiff of(FileTree below, LayerListing layer) {
    List<FileChange> added = new ArrayList<>();
    List<FileChange> modified = new ArrayList<>();
    for (FileInfo now : layer.entries().values()) {
      Optional<FileInfo> previous = below.get(now.path());
      if (previous.isEmpty()) {
        added.add(FileChange.added(now));
      } else if (now.differsFrom(previous.get())) {
        modified.add(FileChange.modified(now, previous.get()));
      }
    }
    List<FileChange> deleted = new ArrayList<>();
    for (FileInfo gone : hidden(below, layer).values()) {
      deleted.add(FileChange.deleted(gone));
    }
    return new LayerDiff(added, modified, deleted);
  }

  /** The changes layer {@code index} makes to the union of {@code layers} 0..index-1. */
  public static LayerDiff of(List<LayerListing> layers, int index) {
    return of(FileTree.of(layers.subList(0, index)), layers.get(index));
  }

  public int addedCount() {
    return added.size();
  }

  public int modifiedCount() {
    return modified.size();
  }

  public int deletedCount() {
    return deleted.size();
  }

  /** The sizes of the added entries. */
  public long addedBytes() {
    return sum(added);
  }

  /** The sizes of the modified entries after the layer. */
  public long modifiedBytes() {
    return sum(modified);
  }

  /** The sizes the deleted entries had below. */
  public long deletedBytes() {
    return sum(deleted);
  }

  /** Whether the layer changes nothing. */
  public boolean isEmpty() {
    return added.isEmpty() && modified.isEmpty() && deleted.isEmpty();
  }

  @Override
  public String toString() {
    return "LayerDiff[+" + addedCount() + " ~" + modifiedCount() + " -" + deletedCount() + ", "
        + ByteSizes.human(addedBytes()) + " added]";
  }

  /** The entries of {@code below} that the layer hides and does not write again. */
  private static TreeMap<String, FileInfo> hidden(FileTree below, LayerListing layer) {
    TreeMap<String, FileInfo> gone = new TreeMap<>();
    for (String dir : layer.opaqueDirs()) {
      gone.putAll(below.descendants(dir));
    }
    for (String path : layer.whiteouts()) {
      below.get(path).ifPresent(info -> gone.put(path, info));
      gone.putAll(below.descendants(path));
    }
    for (FileInfo now : layer.entries().values()) {
      boolean replacesDirectory = below.get(now.path()).map(FileInfo::isDirectory).orElse(false);
      if (!now.isDirectory() && replacesDirectory) {
        gone.putAll(below.descendants(now.path()));
      }
    }
    // Written again by this layer: compared above as added or modified, not deleted.
    gone.keySet().removeAll(layer.entries().keySet());
    return gone;
  }

  private static long sum(List<FileChange> changes) {
    long total = 0;
    for (FileChange change : changes) {
      total += change.sizeBytes();
    }
    return total;
  }
}
