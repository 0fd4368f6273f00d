package dev.minke.image;

import dev.minke.os.FileTrees;

import dev.minke.error.MinkeException;
import dev.minke.os.Posix;
import dev.minke.os.PosixException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * OCI whiteouts (image-spec layer.md): {@code .wh.name} deletes {@code name}, and {@code
 * .wh..wh..opq} hides everything lower layers put in its directory. Applied as deletions on a
 * flat root file system, or converted to overlayfs's own markers the way containerd's overlay
 * snapshotter does.
 */
final class Whiteouts {
  static final String PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";
  static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

  private Whiteouts() {}

  static boolean isWhiteout(String baseName) {
    return baseName.startsWith(PREFIX);
  }

  /**
   * The name a {@code .wh.} entry deletes; refuses the empty name and names that would leave the
   * directory. Returns null for other {@code .wh..wh.} names (aufs metadata, skipped).
   */
  static String target(String baseName) {
    String name = baseName.substring(PREFIX.length());
    if (name.isEmpty()) {
      throw new Refusal("whiteout \".wh.\" names nothing");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new Refusal("whiteout target leaves its directory");
    }
    return name.startsWith(PREFIX) ? null : name;
  }

  /**
   * FLAT: deletes {@code path} unless this layer wrote it; keeps what this layer wrote inside
   * it. Never follows a symlink: a link is deleted, not its target.
   */
  static void removeLower(Path path, WrittenPaths written) throws IOException {
    BasicFileAttributes attrs = SafeResolver.lstat(path);
    if (attrs == null) {
      return;
    }
    if (!written.touches(path)) {
      deleteTree(path);
    } else if (attrs.isDirectory() && !attrs.isSymbolicLink()) {
      clearLowerChildren(path, written);
    }
  }

  /** FLAT opaque: the directory keeps only what this layer put in it. */
  static void clearLowerChildren(Path dir, WrittenPaths written) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    for (Path child : children) {
      removeLower(child, written);
    }
  }

  /** OVERLAY: a char device 0/0 is overlayfs's deletion marker. */
  static void markDeleted(Path path) throws IOException {
    try {
      Posix.mknod(path, Posix.NodeType.CHAR, 0, 0, 0);
    } catch (PosixException e) {
      if (e.isPermissionDenied()) {
        throw needsRoot(path, e);
      }
      throw e;
    }
  }

  /** OVERLAY: the opaque xattr hides every lower entry of the directory. */
  static void markOpaque(Path dir) throws IOException {
    try {
      Posix.lsetxattr(dir, OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
    } catch (PosixException e) {
      if (e.isPermissionDenied()) {
        throw needsRoot(dir, e);
      }
      throw e;
    }
  }

  /** Deletes a file, a symlink (not its target) or a directory tree without following links. */
  static void deleteTree(Path path) throws IOException {
    FileTrees.delete(path);
  }

  private static RuntimeException needsRoot(Path path, PosixException e) {
    return new MinkeException(
        "cannot write overlay whiteout \"" + path + "\": " + e.getMessage(),
        "overlay snapshots need root (or a user namespace); apply the layer in FLAT mode instead",
        e);
  }
}
