package dev.minke.os;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uid_t;

/**
 * File-system calls that NIO cannot make: ownership, device nodes, xattrs in any namespace,
 * setuid bits and symlink times, none of which follow a symlink in the last component.
 *
 * <p>Linux only. libc is bound once, on first use. Every failure becomes a {@link
 * PosixException} that names the call, the path and the errno text.
 */
public final class Posix {
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int XATTR_LIST_MAX = 64 * 1024;
  private static final int XATTR_SIZE_MAX = 64 * 1024;

  /** The kinds of node {@link #mknod} creates. */
  public enum NodeType {
    CHAR(S_IFCHR),
    BLOCK(S_IFBLK),
    FIFO(S_IFIFO);

    private final int typeBits;

    NodeType(int typeBits) {
      this.typeBits = typeBits;
    }
  }

  private Posix() {}

  /** Sets the numeric owner of {@code path} itself, never of a symlink's target. */
  public static void lchown(Path path, long uid, long gid) throws IOException {
    checkId("uid", uid);
    checkId("gid", gid);
    check(Lib.C.lchown(cString(path), (int) uid, (int) gid), "lchown", path);
  }

  /**
   * Sets the permission bits including setuid, setgid and sticky, without following a symlink
   * (on a symlink itself Linux answers EOPNOTSUPP).
   */
  public static void lchmod(Path path, int mode) throws IOException {
    int rc = Lib.C.fchmodat(AT_FDCWD, cString(path), mode & 07777, AT_SYMLINK_NOFOLLOW);
    check(rc, "lchmod", path);
  }

  /** Creates a character device, block device or FIFO; major and minor are ignored for FIFOs. */
  public static void mknod(Path path, NodeType type, int mode, int major, int minor)
      throws IOException {
    long dev = type == NodeType.FIFO ? 0 : makedev(major, minor);
    check(Lib.C.mknod(cString(path), type.typeBits | (mode & 07777), dev), "mknod", path);
  }

  /** Sets an extended attribute in any namespace ({@code user.}, {@code trusted.}, ...). */
  public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
    int rc = Lib.C.lsetxattr(cString(path), cString(name), value, value.length, 0);
    check(rc, "lsetxattr " + name, path);
  }

  /** Reads an extended attribute; empty when the file does not have it. */
  public static Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
    byte[] buffer = new byte[XATTR_SIZE_MAX];
    long size = Lib.C.lgetxattr(cString(path), cString(name), buffer, buffer.length);
    if (size < 0) {
      int errno = LastError.getLastError(Lib.RUNTIME);
      if (errno == PosixException.ENODATA) {
        return Optional.empty();
      }
      throw error("lgetxattr " + name, path, errno);
    }
    byte[] value = new byte[(int) size];
    System.arraycopy(buffer, 0, value, 0, value.length);
    return Optional.of(value);
  }

  /** The names of all extended attributes the caller may see on {@code path} itself. */
  public static List<String> llistxattr(Path path) throws IOException {
    byte[] buffer = new byte[XATTR_LIST_MAX];
    long size = Lib.C.llistxattr(cString(path), buffer, buffer.length);
    if (size < 0) {
      throw error("llistxattr", path, LastError.getLastError(Lib.RUNTIME));
    }
    List<String> names = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < size; i++) {
      if (buffer[i] == 0) {
        names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return names;
  }

  /** Removes an extended attribute from {@code path} itself. */
  public static void lremovexattr(Path path, String name) throws IOException {
    check(Lib.C.lremovexattr(cString(path), cString(name)), "lremovexattr " + name, path);
  }

  /** Sets access and modification times of {@code path} itself, also when it is a symlink. */
  public static void lutimes(Path path, FileTime accessTime, FileTime modifiedTime)
      throws IOException {
    long[] times = {
      accessTime.to(TimeUnit.SECONDS), nanosOfSecond(accessTime),
      modifiedTime.to(TimeUnit.SECONDS), nanosOfSecond(modifiedTime)
    };
    int rc = Lib.C.utimensat(AT_FDCWD, cString(path), times, AT_SYMLINK_NOFOLLOW);
    check(rc, "lutimes", path);
  }

  /** Whether this process runs with effective uid 0. */
  public static boolean isRoot() {
    return Lib.C.geteuid() == 0;
  }

  private static long nanosOfSecond(FileTime time) {
    return Math.floorMod(time.to(TimeUnit.NANOSECONDS), 1_000_000_000L);
  }

  /** glibc's makedev(3): 12 bits of major and 8 of minor low, the rest high. */
  private static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0x00000fffL) << 8)
        | ((ma & 0xfffff000L) << 32)
        | (mi & 0x000000ffL)
        | ((mi & 0xffffff00L) << 12);
  }

  private static void checkId(String what, long id) {
    // uid_t is 32 bits, and (uid_t) -1 means "leave unchanged" to lchown.
    if (id < 0 || id > 0xfffffffeL) {
      throw new IllegalArgumentException(what + " " + id + " is out of range");
    }
  }

  private static void check(int rc, String call, Path path) throws PosixException {
    if (rc != 0) {
      throw error(call, path, LastError.getLastError(Lib.RUNTIME));
    }
  }

  private static PosixException error(String call, Path path, int errno) {
    return new PosixException(call, path, errno, Lib.C.strerror(errno));
  }

  /**
   * Encodes like the JDK encodes file names, so a path names the same file here as in NIO.
   */
  private static byte[] cString(Path path) {
    return cString(path.toString(), Lib.FILE_NAME_CHARSET);
  }

  private static byte[] cString(String name) {
    return cString(name, StandardCharsets.UTF_8);
  }

  private static byte[] cString(String text, Charset charset) {
    byte[] bytes = text.getBytes(charset);
    byte[] terminated = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, terminated, 0, bytes.length);
    return terminated;
  }

  /** The libc binding, loaded the first time any method needs it (holder idiom). */
  private static final class Lib {
    static final LibC C = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(C);
    static final Charset FILE_NAME_CHARSET =
        Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    /**
     * The libc functions Posix uses; strings are passed as NUL-terminated bytes. Public only so
     * that jnr-ffi's generated class can implement it; the private holder hides it.
     */
    public interface LibC {
      @SaveError
      int lchown(@In byte[] path, @uid_t int uid, @gid_t int gid);

      @SaveError
      int fchmodat(int dirfd, @In byte[] path, @mode_t int mode, int flags);

      @SaveError
      int mknod(@In byte[] path, @mode_t int mode, @dev_t long dev);

      @SaveError
      int lsetxattr(
          @In byte[] path, @In byte[] name, @In byte[] value, @size_t long size, int flags);

      @SaveError
      @ssize_t
      long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);

      @SaveError
      @ssize_t
      long llistxattr(@In byte[] path, @Out byte[] list, @size_t long size);

      @SaveError
      int lremovexattr(@In byte[] path, @In byte[] name);

      @SaveError
      int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

      @uid_t
      int geteuid();

      String strerror(int errnum);
    }
  }
}
