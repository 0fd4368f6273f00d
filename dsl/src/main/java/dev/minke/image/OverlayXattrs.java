package dev.minke.image;

import dev.minke.os.Posix;
import dev.minke.os.PosixException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The markers overlayfs keeps in a layer directory, read from one host path: whiteouts, opaque
 * directories, and the features that make an upper directory more than a plain diff.
 *
 * <p>overlayfs keeps its private state in {@code trusted.overlay.*}, or in {@code user.overlay.*}
 * when mounted with {@code userxattr} (rootless, kernel 5.11+). Both namespaces count as
 * overlay's own: a layer never carries them.
 */
final class OverlayXattrs {
  private static final String TRUSTED = "trusted.overlay.";
  private static final String USER = "user.overlay.";
  private static final byte[] YES = {'y'};
  /** Features that keep a file's name or data in a lower layer: the upper entry is not the diff. */
  private static final List<String> UNSUPPORTED = List.of("redirect", "metacopy");
  private static final String UNIX_ATTRIBUTES = "unix:mode,rdev,size";
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFCHR = 0020000;

  /** What overlayfs made of one path in a layer directory. */
  enum Marker {
    /** An ordinary entry. */
    NONE,
    /** Deletes the same name in lower layers. */
    WHITEOUT,
    /** A directory that hides every lower entry under its name. */
    OPAQUE
  }

  private OverlayXattrs() {}

  /**
   * Reads the marker of {@code path} (not followed).
   *
   * @throws OverlayDiffUnsupportedException if the entry uses redirect_dir or metacopy
   */
  static Marker marker(Path path) throws IOException {
    Map<String, Object> unix = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int format = (Integer) unix.get("mode") & S_IFMT;
    if (format == S_IFCHR && (Long) unix.get("rdev") == 0L) {
      return Marker.WHITEOUT;
    }
    List<String> names = names(path);
    if (names.isEmpty()) {
      return Marker.NONE; // the common case: one syscall, no values read
    }
    for (String name : names) {
      for (String feature : UNSUPPORTED) {
        if (name.equals(TRUSTED + feature) || name.equals(USER + feature)) {
          throw new OverlayDiffUnsupportedException(path, name);
        }
      }
    }
    // The xattr form of a whiteout (kernel 6.7+): an empty file marked overlay.whiteout.
    if (format == S_IFREG && (Long) unix.get("size") == 0L && hasKey(names, "whiteout")) {
      return Marker.WHITEOUT;
    }
    // "x" (kernel 6.7+) marks a directory holding xattr whiteouts, which is not opaque.
    if (format == S_IFDIR && hasKey(names, "opaque")
        && Arrays.equals(value(path, names, "opaque").orElse(null), YES)) {
      return Marker.OPAQUE;
    }
    return Marker.NONE;
  }

  /** Whether {@code name} is one of overlayfs's private attributes. */
  static boolean isOverlayPrivate(String name) {
    return name.startsWith(TRUSTED) || name.startsWith(USER);
  }

  /** {@code xattrs} without overlayfs's private attributes; the same map when there are none. */
  static Map<String, byte[]> withoutPrivate(Map<String, byte[]> xattrs) {
    if (xattrs.keySet().stream().noneMatch(OverlayXattrs::isOverlayPrivate)) {
      return xattrs;
    }
    Map<String, byte[]> kept = new TreeMap<>(xattrs);
    kept.keySet().removeIf(OverlayXattrs::isOverlayPrivate);
    return kept;
  }

  private static boolean hasKey(List<String> names, String key) {
    return names.contains(TRUSTED + key) || names.contains(USER + key);
  }

  private static Optional<byte[]> value(Path path, List<String> names, String key)
      throws IOException {
    String name = names.contains(TRUSTED + key) ? TRUSTED + key : USER + key;
    return Posix.lgetxattr(path, name);
  }

  private static List<String> names(Path path) throws IOException {
    try {
      return Posix.llistxattr(path);
    } catch (PosixException e) {
      if (e.isNotSupported()) {
        return List.of(); // a file system without xattrs holds no overlay markers
      }
      throw e;
    }
  }
}
