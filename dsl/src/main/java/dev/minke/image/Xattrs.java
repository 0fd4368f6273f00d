package dev.minke.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Reads the extended attributes a layer keeps ({@code user.*} and {@code security.capability})
 * from a host path, without following a final symlink.
 *
 * <p>Through libc's {@code llistxattr}/{@code lgetxattr} because Java's
 * {@code UserDefinedFileAttributeView} sees only the {@code user} namespace, and file
 * capabilities live in {@code security}.
 */
final class Xattrs {
  private static final int ERANGE = 34;
  private static final int ENOTSUP = 95;
  private static final int ENODATA = 61;
  private static final String CAPABILITY = "security.capability";

  /** The libc calls used, with NUL-terminated byte arrays so no charset gets in the way. */
  public interface LibC {
    long llistxattr(byte[] path, byte[] list, long size);

    long lgetxattr(byte[] path, byte[] name, byte[] value, long size);
  }

  private static volatile LibC libc;

  private Xattrs() {}

  /** The kept attributes of {@code file}, sorted by name; empty where xattrs are unsupported. */
  static SortedMap<String, byte[]> read(Path file) throws IOException {
    LibC c = libc();
    byte[] path = cString(file.toString());
    SortedMap<String, byte[]> kept = new TreeMap<>();
    for (String name : listNames(c, file, path)) {
      if (name.startsWith("user.") || name.equals(CAPABILITY)) {
        byte[] value = value(c, file, path, name);
        if (value != null) {
          kept.put(name, value);
        }
      }
    }
    return kept;
  }

  private static String[] listNames(LibC c, Path file, byte[] path) throws IOException {
    while (true) {
      long size = c.llistxattr(path, null, 0);
      if (size < 0) {
        int errno = errno(c);
        if (errno == ENOTSUP) {
          return new String[0];
        }
        throw failure("llistxattr", file, errno);
      }
      if (size == 0) {
        return new String[0];
      }
      byte[] list = new byte[(int) size];
      long got = c.llistxattr(path, list, list.length);
      if (got < 0 && errno(c) == ERANGE) {
        continue; // an attribute was added in between: ask for the size again
      }
      if (got < 0) {
        throw failure("llistxattr", file, errno(c));
      }
      // The list is NUL-separated names, each ending in NUL.
      String names = new String(list, 0, (int) got, StandardCharsets.UTF_8);
      return names.isEmpty() ? new String[0] : names.substring(0, names.length() - 1).split("\0");
    }
  }

  private static byte[] value(LibC c, Path file, byte[] path, String name) throws IOException {
    byte[] cname = cString(name);
    while (true) {
      long size = c.lgetxattr(path, cname, null, 0);
      if (size < 0) {
        int errno = errno(c);
        if (errno == ENODATA) {
          return null; // removed since it was listed
        }
        throw failure("lgetxattr " + name, file, errno);
      }
      byte[] value = new byte[(int) size];
      long got = c.lgetxattr(path, cname, value, value.length);
      if (got >= 0) {
        return got == value.length ? value : Arrays.copyOf(value, (int) got);
      }
      if (errno(c) != ERANGE) {
        throw failure("lgetxattr " + name, file, errno(c));
      }
    }
  }

  private static LibC libc() {
    LibC c = libc;
    if (c == null) {
      c = LibraryLoader.create(LibC.class).load("c");
      libc = c;
    }
    return c;
  }

  private static int errno(LibC c) {
    return Runtime.getRuntime(c).getLastError();
  }

  private static IOException failure(String call, Path file, int errno) {
    return new IOException(call + " `" + file + "` failed: errno " + errno);
  }

  private static byte[] cString(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(bytes, bytes.length + 1);
  }
}
