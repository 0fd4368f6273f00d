package dev.minke.build;

import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical clean-up of slash-separated paths, as Go's {@code path.Clean} does it. */
final class SlashPaths {
  private SlashPaths() {}

  /**
   * Returns the shortest equivalent path: repeated slashes collapsed, {@code .} removed, {@code
   * name/..} removed, {@code ..} above a leading slash dropped; {@code "."} for an empty result.
   */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> kept = new ArrayDeque<>();
    for (String element : path.split("/")) {
      if (element.isEmpty() || element.equals(".")) {
        continue;
      }
      if (element.equals("..")) {
        if (!kept.isEmpty() && !kept.peekLast().equals("..")) {
          kept.removeLast();
        } else if (!rooted) {
          kept.addLast(".."); // a relative path may climb; a rooted one stops at "/"
        }
        continue;
      }
      kept.addLast(element);
    }
    String joined = String.join("/", kept);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
