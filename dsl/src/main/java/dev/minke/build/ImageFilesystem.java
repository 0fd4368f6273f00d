package dev.minke.build;

import dev.minke.image.EntryType;
import dev.minke.image.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What a build needs to know of the image's filesystem so far, without unpacking it: the type,
 * mode, owner and link target of every path, and the text of {@code /etc/passwd} and {@code
 * /etc/group} (for {@code --chown=name}). Built from the base image's layers and kept up to date
 * with each layer the build adds.
 */
final class ImageFilesystem {
  private static final int MAX_SYMLINK_HOPS = 40;
  private static final long MAX_ACCOUNT_FILE_BYTES = 1 << 20;

  /** Metadata of one path. */
  record Node(EntryType type, int mode, long uid, long gid, String linkTarget) {}

  private final NavigableMap<String, Node> nodes = new TreeMap<>();
  private String passwd = "";
  private String group = "";

  /** An independent copy (nodes are immutable; the map and account files are copied). */
  ImageFilesystem copy() {
    ImageFilesystem copy = new ImageFilesystem();
    copy.nodes.putAll(nodes);
    copy.passwd = passwd;
    copy.group = group;
    return copy;
  }

  /** Applies one layer tar (uncompressed), with OCI whiteouts, on top of what is there. */
  void applyTar(InputStream uncompressedTar) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(uncompressedTar);
    List<String> opaqueDirs = new ArrayList<>();
    List<TarArchiveEntry> entries = new ArrayList<>();
    for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
      String path = clean(e.getName());
      if (path == null) {
        continue;
      }
      if (name(path).equals(LayerEntry.OPAQUE_WHITEOUT)) {
        opaqueDirs.add(parent(path));
        continue;
      }
      entries.add(e);
      captureAccountFile(path, e, tar);
    }
    // An opaque whiteout hides what lower layers had, wherever it sits in the tar.
    opaqueDirs.forEach(this::removeChildren);
    for (TarArchiveEntry e : entries) {
      String path = clean(e.getName());
      String name = name(path);
      if (name.startsWith(LayerEntry.WHITEOUT_PREFIX)) {
        remove(join(parent(path), name.substring(LayerEntry.WHITEOUT_PREFIX.length())));
      } else {
        put(path, new Node(typeOf(e), e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), e.getLinkName()));
      }
    }
  }

  /** Records the entries of a layer this build wrote. */
  void applyEntries(List<LayerEntry> entries) {
    for (LayerEntry e : entries) {
      put(e.path(), new Node(e.type(), e.mode(), e.uid(), e.gid(), e.linkTarget()));
    }
  }

  /** Records new account files (a copy step that writes /etc/passwd changes later chowns). */
  void setAccountFile(String path, String content) {
    if (path.equals("etc/passwd")) {
      passwd = content;
    } else if (path.equals("etc/group")) {
      group = content;
    }
  }

  /** Every path, sorted. */
  java.util.SortedSet<String> paths() {
    return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(nodes.keySet()));
  }

  Node get(String path) {
    return nodes.get(path);
  }

  String passwd() {
    return passwd;
  }

  String group() {
    return group;
  }

  /**
   * Resolves symlinks in a directory path the way the kernel would inside the image, never
   * leaving its root: {@code bin/x} with {@code bin -> usr/bin} gives {@code usr/bin/x}.
   */
  String resolveDirectory(String path) {
    List<String> resolved = new ArrayList<>();
    List<String> pending = new ArrayList<>(List.of(path.split("/")));
    int hops = 0;
    while (!pending.isEmpty()) {
      String part = pending.remove(0);
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      String candidate = String.join("/", resolved) + (resolved.isEmpty() ? "" : "/") + part;
      Node node = nodes.get(candidate);
      if (node != null && node.type() == EntryType.SYMLINK && hops++ < MAX_SYMLINK_HOPS) {
        String target = node.linkTarget();
        if (target.startsWith("/")) {
          resolved.clear();
        }
        pending.addAll(0, List.of(target.split("/")));
      } else {
        resolved.add(part);
      }
    }
    return String.join("/", resolved);
  }

  private void captureAccountFile(String path, TarArchiveEntry e, InputStream tar) throws IOException {
    if ((path.equals("etc/passwd") || path.equals("etc/group"))
        && e.isFile() && e.getSize() <= MAX_ACCOUNT_FILE_BYTES) {
      setAccountFile(path, new String(tar.readNBytes((int) e.getSize()), StandardCharsets.UTF_8));
    }
  }

  private void put(String path, Node node) {
    Node previous = nodes.get(path);
    if (previous != null && previous.type() == EntryType.DIRECTORY && node.type() != EntryType.DIRECTORY) {
      removeChildren(path);
    }
    nodes.put(path, node);
  }

  private void remove(String path) {
    nodes.remove(path);
    removeChildren(path);
  }

  private void removeChildren(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    nodes.subMap(prefix, true, prefix + Character.MAX_VALUE, false).clear();
  }

  private static EntryType typeOf(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return EntryType.DIRECTORY;
    } else if (e.isSymbolicLink()) {
      return EntryType.SYMLINK;
    } else if (e.isLink()) {
      return EntryType.HARDLINK;
    } else if (e.isCharacterDevice()) {
      return EntryType.CHAR_DEVICE;
    } else if (e.isBlockDevice()) {
      return EntryType.BLOCK_DEVICE;
    } else if (e.isFIFO()) {
      return EntryType.FIFO;
    }
    return EntryType.FILE;
  }

  /** A tar name as a relative path without "." or ".." parts, or null for the root itself. */
  private static String clean(String name) {
    String cleaned = ContainerPaths.clean("/" + name).substring(1);
    return cleaned.isEmpty() ? null : cleaned;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
