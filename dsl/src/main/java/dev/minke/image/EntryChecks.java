package dev.minke.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Sorts tar entries into the kinds extraction handles and refuses absurd headers. */
final class EntryChecks {
  /** What an entry asks extraction to create. */
  enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO,
    OTHER
  }

  private EntryChecks() {}

  /** Refuses headers no honest writer produces: huge names, sizes or ids. */
  static void check(TarArchiveEntry entry, long maxEntryBytes) {
    TarNames.checkLength("name", entry.getName());
    long size = entry.isSparse() ? entry.getRealSize() : entry.getSize();
    if (size < 0 || size > maxEntryBytes) {
      throw new Refusal("size " + size + " is over the " + maxEntryBytes + " byte limit");
    }
    checkId("uid", entry.getLongUserId());
    checkId("gid", entry.getLongGroupId());
    // A forged base-256 number comes out negative here; mknod would fail with EINVAL.
    if (entry.getDevMajor() < 0 || entry.getDevMinor() < 0) {
      throw new Refusal("device number " + entry.getDevMajor() + ":" + entry.getDevMinor()
          + " is out of range");
    }
  }

  static Kind kind(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    switch (flag) {
      case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG,
          TarConstants.LF_GNUTYPE_SPARSE:
        // Pre-POSIX tars mark directories only by a trailing slash.
        return entry.getName().endsWith("/") ? Kind.DIRECTORY : Kind.FILE;
      case TarConstants.LF_DIR:
        return Kind.DIRECTORY;
      case TarConstants.LF_SYMLINK:
        return Kind.SYMLINK;
      case TarConstants.LF_LINK:
        return Kind.HARDLINK;
      case TarConstants.LF_CHR:
        return Kind.CHAR_DEVICE;
      case TarConstants.LF_BLK:
        return Kind.BLOCK_DEVICE;
      case TarConstants.LF_FIFO:
        return Kind.FIFO;
      default:
        return Kind.OTHER;
    }
  }

  private static void checkId(String what, long id) {
    // uid_t is 32 bits and (uid_t) -1 means "unchanged" to chown.
    if (id < 0 || id > 0xfffffffeL) {
      throw new Refusal(what + " " + id + " is out of range");
    }
  }
}
