package dev.minke.build;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path arithmetic inside the container's filesystem (always '/'-separated, never the host's). */
public final class ContainerPaths {
  private ContainerPaths() {}

  /** Resolves {@code path} against the working directory {@code base} and cleans the result. */
  public static String resolve(String base, String path) {
    String joined = path.startsWith("/") ? path : (base == null || base.isEmpty() ? "/" : base) + "/" + path;
    return clean(joined);
  }

  /** An absolute, cleaned path: no empty, "." or ".." components; ".." stops at the root. */
  public static String clean(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }
}
