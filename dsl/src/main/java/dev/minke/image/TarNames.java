package dev.minke.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns tar entry names into clean path components relative to the layer root. */
final class TarNames {
  /** PATH_MAX on Linux; longer names are refused before anything touches the disk. */
  static final int MAX_NAME_BYTES = 4096;

  static final int MAX_COMPONENT_BYTES = 255;

  private TarNames() {}

  /**
   * Cleans an entry name: leading {@code /} and {@code ./} go, {@code .} and empty components
   * go, {@code ..} pops. A name that climbs above the root is refused rather than clamped, since
   * no honest layer writer produces one.
   */
  static List<String> entry(String name) {
    List<String> components = split(name, false);
    if (components == null) {
      throw new Refusal("path leaves the root");
    }
    return components;
  }

  /**
   * Cleans a hardlink target the way containerd does: {@code ..} stops at the root, so the
   * target always names something inside it.
   */
  static List<String> clamped(String name) {
    return split(name, true);
  }

  /** Refuses names that no file system can hold or that hide a NUL. */
  static void checkLength(String what, String name) {
    if (name.indexOf('\0') >= 0) {
      throw new Refusal(what + " contains a NUL byte");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new Refusal(what + " is " + bytes + " bytes, over the " + MAX_NAME_BYTES + " limit");
    }
  }

  private static List<String> split(String name, boolean clamp) {
    List<String> out = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (out.isEmpty()) {
          if (!clamp) {
            return null;
          }
          continue;
        }
        out.remove(out.size() - 1);
        continue;
      }
      if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
        throw new Refusal("a path component is longer than " + MAX_COMPONENT_BYTES + " bytes");
      }
      out.add(part);
    }
    return out;
  }
}
