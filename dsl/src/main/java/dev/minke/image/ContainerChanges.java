package dev.minke.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a container changed, as {@code docker diff} lists it, read from its overlayfs upper
 * directory: {@code A} added, {@code C} changed, {@code D} deleted.
 *
 * <p>A path in the upper directory is added when it did not exist in the lower layers and
 * changed when it did; its parent directories are in the upper directory too (overlayfs copies
 * them up), so they show as changed, as Docker shows them. A whiteout is a deletion, and so is
 * every lower child that an opaque directory hides and the container did not create again. Only
 * the top of a deleted tree is listed, as Docker does. The walk reads the upper directory and
 * asks {@link LowerLayers} about the paths found there, so its cost follows what changed.
 */
public final class ContainerChanges {
  private ContainerChanges() {}

  /** One changed path, relative without a leading slash; printed as {@code docker diff} does. */
  public record Change(String path, ChangeKind kind) {
    public Change {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
    }

    /** Docker's letter: {@code A}, {@code C} or {@code D}. */
    public char letter() {
      return switch (kind) {
        case ADDED -> 'A';
        case MODIFIED -> 'C';
        case DELETED -> 'D';
      };
    }

    /** {@code "A /app/x"}, a line of {@code docker diff}. */
    @Override
    public String toString() {
      return letter() + " /" + path;
    }
  }

  /**
   * The changes in {@code upperDir} over overlay layer directories, topmost first, in the order
   * of an overlay mount's {@code lowerdir}.
   */
  public static List<Change> of(Path upperDir, List<Path> lowerDirs) throws IOException {
    return of(upperDir, LowerLayers.onDisk(lowerDirs));
  }

  /**
   * The changes in {@code upperDir} over {@code lower}, sorted component by component.
   *
   * @throws OverlayDiffUnsupportedException if an entry uses redirect_dir or metacopy
   */
  public static List<Change> of(Path upperDir, LowerLayers lower) throws IOException {
    if (!Files.isDirectory(upperDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("not a directory: " + upperDir);
    }
    List<Change> changes = new ArrayList<>();
    walk(upperDir, "", false, lower, changes);
    return LayerEntryOrder.sortBy(changes, Change::path);
  }

  /** Adds the changes below {@code dir}; {@code hidesLower} when a lower copy is hidden. */
  private static void walk(
      Path dir, String relative, boolean hidesLower, LowerLayers lower, List<Change> changes)
      throws IOException {
    SortedSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      children.forEach(child -> names.add(child.getFileName().toString()));
    }
    if (hidesLower) {
      // Opaque: what was below and is not here again is gone.
      for (String name : lower.children(relative)) {
        if (!names.contains(name)) {
          changes.add(new Change(TarPaths.join(relative, name), ChangeKind.DELETED));
        }
      }
    }
    for (String name : names) {
      Path child = dir.resolve(name);
      String path = TarPaths.join(relative, name);
      OverlayXattrs.Marker marker = OverlayXattrs.marker(child);
      if (marker == OverlayXattrs.Marker.WHITEOUT) {
        changes.add(new Change(path, ChangeKind.DELETED));
        continue;
      }
      boolean existed = lower.exists(path);
      changes.add(new Change(path, existed ? ChangeKind.MODIFIED : ChangeKind.ADDED));
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        // Under an opaque directory nothing from below shows through, at any depth.
        boolean hides = existed && (hidesLower || marker == OverlayXattrs.Marker.OPAQUE);
        walk(child, path, hides, lower, changes);
      }
    }
  }
}
