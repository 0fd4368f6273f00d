package dev.minke.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves path components inside a root the way securejoin does: symlinks met on the way are
 * followed, but an absolute target starts again at the root and {@code ..} stops at the root, so
 * the result never leaves it.
 *
 * <p>Every component of the result that exists is a real directory or the last component; none
 * is a symlink. Components past the first missing one are kept as they are. The caller never
 * follows the last component of an entry, so it passes only the parent here.
 */
final class SafeResolver {
  /** Linux gives up after 40 hops (ELOOP); a chain this long is an attack, not a layout. */
  static final int MAX_LINK_HOPS = 255;

  private final Path root;

  /** {@code root} must be a real path (no symlinks in it): results are built under it. */
  SafeResolver(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Resolves clean components (no {@code ..}, no empty ones) or any others, inside the root. */
  Path resolve(List<String> components) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components);
    List<String> resolved = new ArrayList<>();
    boolean prefixIsDirectory = true;
    int hops = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        prefixIsDirectory = isDirectory(join(resolved));
        continue;
      }
      Path candidate = join(resolved).resolve(part);
      // Below a missing or non-directory component nothing can exist, so nothing can be a link.
      BasicFileAttributes attrs = prefixIsDirectory ? lstat(candidate) : null;
      if (attrs != null && attrs.isSymbolicLink()) {
        if (++hops > MAX_LINK_HOPS) {
          throw new Refusal("more than " + MAX_LINK_HOPS + " symlinks on the path");
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          resolved.clear(); // An absolute target means the layer's root, not the host's.
        }
        pushFront(pending, target);
        prefixIsDirectory = isDirectory(join(resolved));
        continue;
      }
      resolved.add(part);
      prefixIsDirectory = attrs != null && attrs.isDirectory();
    }
    return join(resolved);
  }

  /** True when {@code path} is inside the root (or is the root), compared by components. */
  boolean contains(Path path) {
    return path.normalize().startsWith(root);
  }

  private static void pushFront(Deque<String> pending, String target) {
    String[] parts = target.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      pending.addFirst(parts[i]);
    }
  }

  private Path join(List<String> components) {
    Path path = root;
    for (String c : components) {
      path = path.resolve(c);
    }
    return path;
  }

  static BasicFileAttributes lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }
}
