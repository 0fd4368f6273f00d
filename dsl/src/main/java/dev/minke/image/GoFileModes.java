package dev.minke.image;

/**
 * Go's {@code os.FileMode} bits for a tar entry, as Go's {@code tar.Header.FileInfo().Mode()}
 * builds them, so that exports match dive's numbers.
 */
final class GoFileModes {
  private static final long MODE_DIR = 1L << 31;
  private static final long MODE_SYMLINK = 1L << 27;
  private static final long MODE_DEVICE = 1L << 26;
  private static final long MODE_NAMED_PIPE = 1L << 25;
  private static final long MODE_SETUID = 1L << 23;
  private static final long MODE_SETGID = 1L << 22;
  private static final long MODE_CHAR_DEVICE = 1L << 21;
  private static final long MODE_STICKY = 1L << 20;

  private GoFileModes() {}

  /** The Go mode for an entry of this type with these Unix mode bits ({@code 07777}). */
  static long of(FileType type, int unixMode) {
    long mode = unixMode & 0777;
    if ((unixMode & 04000) != 0) {
      mode |= MODE_SETUID;
    }
    if ((unixMode & 02000) != 0) {
      mode |= MODE_SETGID;
    }
    if ((unixMode & 01000) != 0) {
      mode |= MODE_STICKY;
    }
    return mode
        | switch (type) {
          case DIRECTORY -> MODE_DIR;
          case SYMLINK -> MODE_SYMLINK;
          case CHAR_DEVICE -> MODE_DEVICE | MODE_CHAR_DEVICE;
          case BLOCK_DEVICE -> MODE_DEVICE;
          case FIFO -> MODE_NAMED_PIPE;
          case FILE, HARDLINK, OTHER -> 0L;
        };
  }
}
