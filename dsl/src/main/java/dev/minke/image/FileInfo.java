package dev.minke.image;

import java.util.Objects;

/**
 * One entry of a layer tar: its cleaned path, type, size, permissions, owner, link target and the
 * digest of its content.
 *
 * <p>{@code mode} holds the permission and set-id/sticky bits ({@code 07777}) only; the type is in
 * {@code type}. {@code linkTarget} is empty unless the entry is a link. {@code contentDigest} is
 * the sha256 of the entry's data, which is empty for anything but a regular file: it tells a
 * rewritten file from a modified one without trusting mtimes, which builds do not preserve.
 */
public record FileInfo(
    String path,
    FileType type,
    long sizeBytes,
    int mode,
    long uid,
    long gid,
    String linkTarget,
    Digest contentDigest) {

  public FileInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(linkTarget, "linkTarget");
    Objects.requireNonNull(contentDigest, "contentDigest");
    if (path.isEmpty() || !TarPaths.isClean(path)) {
      throw new IllegalArgumentException(
          "path \"" + path + "\" is not clean: expected relative, no . or .., no trailing /");
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes " + sizeBytes + " of " + path + " is negative");
    }
    mode &= 07777;
  }

  /** Whether this entry is a directory. */
  public boolean isDirectory() {
    return type == FileType.DIRECTORY;
  }

  /**
   * Whether this entry, found in an upper layer, changes {@code below}: type, content, mode,
   * owner or link target differ. Size follows from content; mtime is ignored on purpose, because
   * a directory re-emitted as the parent of a new file is not a change.
   */
  public boolean differsFrom(FileInfo below) {
    return type != below.type
        || mode != below.mode
        || uid != below.uid
        || gid != below.gid
        || !linkTarget.equals(below.linkTarget)
        || !contentDigest.equals(below.contentDigest);
  }
}
