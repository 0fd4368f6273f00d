package dev.minke.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Overlay layer directories, topmost first, merged on demand as overlayfs merges them: the
 * topmost entry of a name wins, a char 0/0 whiteout deletes it, and a non-directory or an opaque
 * directory hides everything below it. Each question costs a few {@code lstat}s per layer and
 * path component, never a walk.
 */
final class OverlayLowerDirs implements LowerLayers {
  private final List<Path> layers;

  OverlayLowerDirs(List<Path> layers) {
    this.layers = List.copyOf(layers);
  }

  /** What one layer says about a path. */
  private enum State {
    /** Not in this layer; ask the next one unless {@code hidesBelow}. */
    ABSENT,
    /** Deleted here, or an ancestor here is not a directory: gone for every layer below. */
    GONE,
    PRESENT
  }

  private record Probe(State state, boolean directory, boolean hidesBelow) {}

  @Override
  public boolean exists(String path) throws IOException {
    for (Path layer : layers) {
      Probe probe = probe(layer, path);
      if (probe.state != State.ABSENT) {
        return probe.state == State.PRESENT;
      }
      if (probe.hidesBelow) {
        return false;
      }
    }
    return false;
  }

  @Override
  public SortedSet<String> children(String dir) throws IOException {
    // name -> whether it exists, decided by the topmost layer that has the name
    Map<String, Boolean> decided = new HashMap<>();
    for (Path layer : layers) {
      Probe probe = probe(layer, dir);
      if (probe.state == State.GONE || (probe.state == State.PRESENT && !probe.directory)) {
        break;
      }
      if (probe.state == State.PRESENT) {
        Path hostDir = dir.isEmpty() ? layer : layer.resolve(dir);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(hostDir)) {
          for (Path child : children) {
            String name = child.getFileName().toString();
            if (!decided.containsKey(name)) {
              decided.put(name, OverlayXattrs.marker(child) != OverlayXattrs.Marker.WHITEOUT);
            }
          }
        }
      }
      if (probe.hidesBelow) {
        break;
      }
    }
    SortedSet<String> names = new TreeSet<>();
    decided.forEach((name, present) -> {
      if (present) {
        names.add(name);
      }
    });
    return names;
  }

  /** Looks {@code path} up in one layer, one component at a time, never following a link. */
  private static Probe probe(Path layer, String path) throws IOException {
    boolean opaqueAbove = false;
    Path current = layer;
    if (!path.isEmpty()) {
      for (String ancestor : TarPaths.ancestors(path)) {
        current = layer.resolve(ancestor);
        BasicFileAttributes attrs = lstat(current);
        if (attrs == null) {
          return new Probe(State.ABSENT, false, opaqueAbove);
        }
        if (!attrs.isDirectory()) {
          return new Probe(State.GONE, false, true);
        }
        opaqueAbove |= OverlayXattrs.marker(current) == OverlayXattrs.Marker.OPAQUE;
      }
      current = layer.resolve(path);
    }
    BasicFileAttributes attrs = lstat(current);
    if (attrs == null) {
      return new Probe(State.ABSENT, false, opaqueAbove);
    }
    OverlayXattrs.Marker marker = OverlayXattrs.marker(current);
    if (marker == OverlayXattrs.Marker.WHITEOUT) {
      return new Probe(State.GONE, false, true);
    }
    // A non-directory hides whatever lower layers hold under its name.
    boolean hides = opaqueAbove || !attrs.isDirectory() || marker == OverlayXattrs.Marker.OPAQUE;
    return new Probe(State.PRESENT, attrs.isDirectory(), hides);
  }

  private static BasicFileAttributes lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
