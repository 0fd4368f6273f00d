package dev.minke.image;

import dev.minke.os.Posix;
import dev.minke.os.PosixException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

/**
 * Applies a tar header's ownership, xattrs, mode and times to one path, never through a symlink,
 * in the order the kernel needs: chown clears setuid bits and file capabilities, so it goes first.
 */
final class MetadataWriter {
  private final boolean root;
  private final List<String> skipped;

  MetadataWriter(boolean root, List<String> skipped) {
    this.root = root;
    this.skipped = skipped;
  }

  /** Numeric owner; only root can give files away, so otherwise it is silently left as is. */
  void owner(Path path, long uid, long gid) throws IOException {
    if (root) {
      Posix.lchown(path, uid, gid);
    }
  }

  /**
   * Sets the xattrs this process may set safely: {@code user.*} always, file capabilities and
   * overlay markers only as root; anything else is skipped into the report.
   */
  void xattrs(String entryName, Path path, Map<String, byte[]> xattrs) {
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      String name = x.getKey();
      String why = refusal(name);
      if (why != null) {
        skip(entryName, "xattr " + name + " " + why);
        continue;
      }
      try {
        Posix.lsetxattr(path, name, x.getValue());
      } catch (IOException e) {
        skip(entryName, "xattr " + name + " not set: " + e.getMessage());
      }
    }
  }

  /** Permission bits including setuid, setgid and sticky; symlinks have none on Linux. */
  void mode(Path path, int mode) throws IOException {
    Posix.lchmod(path, mode & 07777);
  }

  /** Access and modification time of the path itself. */
  void times(Path path, FileTime accessTime, FileTime modifiedTime) throws IOException {
    try {
      Posix.lutimes(path, accessTime, modifiedTime);
    } catch (PosixException e) {
      if (!e.isPermissionDenied()) {
        throw e;
      }
      // Not our file (we could not chown it to ourselves): the times are cosmetic.
    }
  }

  void skip(String entryName, String why) {
    skipped.add(UnsafeLayerException.printable(entryName) + ": " + why);
  }

  private String refusal(String name) {
    if (name.startsWith("user.")) {
      return null;
    }
    if (name.equals("security.capability") || name.startsWith("trusted.overlay.")) {
      return root ? null : "needs root";
    }
    return "is in a namespace layers may not set";
  }
}
