package dev.minke.image;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of a layer tar: a path and the metadata and content the tar stores for it.
 *
 * <p>{@code path} is relative and slash-separated, with no leading {@code /}, no trailing slash
 * (also for directories), and no {@code .} or {@code ..} components. {@code mode} holds the
 * permission bits with setuid, setgid and sticky ({@code 07777}); the type is {@link #type()}.
 * {@code linkTarget} is the symlink target, or for a hardlink the layer path of the first link.
 */
public record LayerEntry(
    String path,
    EntryType type,
    int mode,
    long uid,
    long gid,
    long sizeBytes,
    String linkTarget,
    int devMajor,
    int devMinor,
    SortedMap<String, byte[]> xattrs,
    EntryContent content) {
  /** The prefix OCI uses to mark a deleted path (image-spec layer.md, Whiteouts). */
  public static final String WHITEOUT_PREFIX = ".wh.";
  /** The name of the entry that hides every lower child of its directory. */
  public static final String OPAQUE_WHITEOUT = ".wh..wh..opq";

  private static final long MAX_ID = 0xFFFF_FFFFL;

  public LayerEntry {
    checkPath(path);
    if (type == null) {
      throw new IllegalArgumentException("entry " + path + " has no type");
    }
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException(
          "entry " + path + " has mode 0" + Integer.toOctalString(mode)
              + ": only permission, setuid, setgid and sticky bits (07777) belong in mode");
    }
    if (uid < 0 || uid > MAX_ID || gid < 0 || gid > MAX_ID) {
      throw new IllegalArgumentException(
          "entry " + path + " has uid/gid " + uid + "/" + gid + ": expected 0.." + MAX_ID);
    }
    linkTarget = linkTarget == null ? "" : linkTarget;
    boolean isLink = type == EntryType.SYMLINK || type == EntryType.HARDLINK;
    if (isLink == linkTarget.isEmpty()) {
      throw new IllegalArgumentException(
          isLink ? "link " + path + " has no target" : "entry " + path + " is not a link but has a target");
    }
    if (type == EntryType.HARDLINK) {
      checkPath(linkTarget);
    }
    content = content == null ? EntryContent.empty() : content;
    checkSize(path, type, sizeBytes, content);
    if (devMajor < 0 || devMinor < 0) {
      throw new IllegalArgumentException("entry " + path + " has a negative device number");
    }
    xattrs = copyXattrs(path, xattrs);
  }

  /** A regular file with the given bytes, mode 0644, owned by 0:0. */
  public static LayerEntry file(String path, byte[] bytes) {
    return new LayerEntry(
        path, EntryType.FILE, 0644, 0, 0, bytes.length, "", 0, 0, null, EntryContent.of(bytes));
  }

  /** A regular file whose bytes are streamed from {@code source} when the layer is written. */
  public static LayerEntry file(String path, Path source, long sizeBytes) {
    return new LayerEntry(
        path, EntryType.FILE, 0644, 0, 0, sizeBytes, "", 0, 0, null, EntryContent.of(source));
  }

  /** A directory, mode 0755. */
  public static LayerEntry directory(String path) {
    return new LayerEntry(path, EntryType.DIRECTORY, 0755, 0, 0, 0, "", 0, 0, null, null);
  }

  /** A symbolic link, mode 0777 as Linux reports for every symlink. */
  public static LayerEntry symlink(String path, String target) {
    return new LayerEntry(path, EntryType.SYMLINK, 0777, 0, 0, 0, target, 0, 0, null, null);
  }

  /** A hard link to {@code targetPath}, an earlier entry of the same layer. */
  public static LayerEntry hardlink(String path, String targetPath) {
    return new LayerEntry(path, EntryType.HARDLINK, 0644, 0, 0, 0, targetPath, 0, 0, null, null);
  }

  public static LayerEntry charDevice(String path, int major, int minor) {
    return new LayerEntry(path, EntryType.CHAR_DEVICE, 0666, 0, 0, 0, "", major, minor, null, null);
  }

  public static LayerEntry blockDevice(String path, int major, int minor) {
    return new LayerEntry(path, EntryType.BLOCK_DEVICE, 0660, 0, 0, 0, "", major, minor, null, null);
  }

  public static LayerEntry fifo(String path) {
    return new LayerEntry(path, EntryType.FIFO, 0644, 0, 0, 0, "", 0, 0, null, null);
  }

  /** The whiteout that deletes {@code path} of lower layers: an empty file {@code .wh.<name>}. */
  public static LayerEntry whiteout(String path) {
    checkPath(path);
    int slash = path.lastIndexOf('/');
    String whiteout = path.substring(0, slash + 1) + WHITEOUT_PREFIX + path.substring(slash + 1);
    return new LayerEntry(whiteout, EntryType.FILE, 0, 0, 0, 0, "", 0, 0, null, null);
  }

  /** The opaque whiteout that hides all lower children of {@code dir} ({@code ""} is the root). */
  public static LayerEntry opaque(String dir) {
    String path = dir.isEmpty() ? OPAQUE_WHITEOUT : dir + "/" + OPAQUE_WHITEOUT;
    return new LayerEntry(path, EntryType.FILE, 0, 0, 0, 0, "", 0, 0, null, null);
  }

  public LayerEntry withOwner(long newUid, long newGid) {
    return new LayerEntry(
        path, type, mode, newUid, newGid, sizeBytes, linkTarget, devMajor, devMinor, xattrs, content);
  }

  public LayerEntry withMode(int newMode) {
    return new LayerEntry(
        path, type, newMode, uid, gid, sizeBytes, linkTarget, devMajor, devMinor, xattrs, content);
  }

  public LayerEntry withPath(String newPath) {
    return new LayerEntry(
        newPath, type, mode, uid, gid, sizeBytes, linkTarget, devMajor, devMinor, xattrs, content);
  }

  /** This entry with its extended attributes replaced, e.g. {@code security.capability}. */
  public LayerEntry withXattrs(Map<String, byte[]> newXattrs) {
    return new LayerEntry(
        path, type, mode, uid, gid, sizeBytes, linkTarget, devMajor, devMinor,
        new TreeMap<>(newXattrs), content);
  }

  /** The last path component. */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether this entry is a whiteout or an opaque whiteout marker. */
  public boolean isWhiteout() {
    return name().startsWith(WHITEOUT_PREFIX);
  }

  @Override
  public SortedMap<String, byte[]> xattrs() {
    // Hand out copies: the byte arrays are the only mutable part of the record.
    return copyXattrs(path, xattrs);
  }

  /** The attribute values as stored, without copying; for the tar writer only. */
  SortedMap<String, byte[]> xattrsView() {
    return xattrs;
  }

  private static void checkPath(String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("layer entry path is empty");
    }
    if (path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "invalid layer entry path \"" + path + "\": expected relative, without a leading or "
              + "trailing slash or NUL, e.g. \"usr/bin/env\"");
    }
    // A scan, not split(): this runs for every file of every layer.
    int start = 0;
    while (start <= path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      int length = end - start;
      boolean dot = length == 1 && path.charAt(start) == '.';
      boolean dotDot = length == 2 && path.startsWith("..", start);
      if (length == 0 || dot || dotDot) {
        throw new IllegalArgumentException(
            "invalid layer entry path \"" + path + "\": empty, \".\" and \"..\" components are "
                + "not allowed");
      }
      if (length == WHITEOUT_PREFIX.length() && path.startsWith(WHITEOUT_PREFIX, start)) {
        throw new IllegalArgumentException(
            "invalid layer entry path \"" + path + "\": a whiteout needs a name after .wh.");
      }
      start = end + 1;
    }
  }

  private static void checkSize(String path, EntryType type, long sizeBytes, EntryContent content) {
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("entry " + path + " has negative size " + sizeBytes);
    }
    if (type != EntryType.FILE && sizeBytes != 0) {
      throw new IllegalArgumentException(
          type + " entry " + path + " has size " + sizeBytes + ": only files carry bytes");
    }
    if (content instanceof EntryContent.FromBytes bytes && bytes.length() != sizeBytes) {
      throw new IllegalArgumentException(
          "entry " + path + " declares " + sizeBytes + " bytes but holds " + bytes.length());
    }
  }

  private static SortedMap<String, byte[]> copyXattrs(String path, Map<String, byte[]> xattrs) {
    if (xattrs == null || xattrs.isEmpty()) {
      return Collections.emptySortedMap(); // the common case: no copy per entry
    }
    TreeMap<String, byte[]> copy = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
      String name = e.getKey();
      // '=' and newline would break the PAX record "len SCHILY.xattr.name=value\n".
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\n') >= 0
          || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "entry " + path + " has an invalid xattr name \"" + name + "\"");
      }
      copy.put(name, e.getValue().clone());
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof LayerEntry that)) {
      return false;
    }
    return path.equals(that.path) && type == that.type && mode == that.mode && uid == that.uid
        && gid == that.gid && sizeBytes == that.sizeBytes && linkTarget.equals(that.linkTarget)
        && devMajor == that.devMajor && devMinor == that.devMinor
        && xattrsEqual(xattrs, that.xattrs) && content.equals(that.content);
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + type.hashCode();
  }

  private static boolean xattrsEqual(SortedMap<String, byte[]> a, SortedMap<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
  }
}
