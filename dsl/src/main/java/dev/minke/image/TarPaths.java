package dev.minke.image;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Cleans tar entry names into Minke's path form: relative, slash-separated, no {@code .} or
 * {@code ..}, no leading or trailing slash; the image root is the empty string.
 *
 * <p>Names come from strangers, so {@code ..} is resolved lexically and clamped at the root: {@code
 * ../../etc/passwd} becomes {@code etc/passwd}, never a path above the image.
 */
final class TarPaths {
  /** The OCI whiteout prefix (image-spec layer.md §Whiteouts). */
  static final String WHITEOUT_PREFIX = ".wh.";

  /** Names the OCI spec reserves for markers; {@link #OPAQUE_MARKER} is the only one defined. */
  static final String MARKER_PREFIX = ".wh..wh.";

  /** The OCI opaque-directory marker (image-spec layer.md §Opaque Whiteout). */
  static final String OPAQUE_MARKER = ".wh..wh..opq";

  private TarPaths() {}

  /** The cleaned form of a tar entry name; the empty string for the root. */
  static String clean(String name) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast(); // clamped: ".." at the root stays at the root
        continue;
      }
      parts.addLast(part);
    }
    return String.join("/", parts);
  }

  /** Whether {@code path} is already in cleaned form. */
  static boolean isClean(String path) {
    return clean(path).equals(path);
  }

  /** The directory holding a cleaned path; the empty string for top-level names. */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The last component of a cleaned path. */
  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Joins a cleaned directory and a single name. */
  static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  /** The proper ancestors of a cleaned path, nearest last, without the root. */
  static List<String> ancestors(String path) {
    List<String> ancestors = new ArrayList<>();
    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      ancestors.add(path.substring(0, slash));
    }
    return ancestors;
  }

}
