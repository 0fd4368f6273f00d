package dev.minke.os;

import java.io.IOException;
import java.nio.file.Path;

/** A failed libc call: which call, on which path, and the errno it set. */
public final class PosixException extends IOException {
  /** Linux errno values that callers branch on. */
  public static final int EPERM = 1;

  public static final int ENOENT = 2;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int ENODATA = 61;
  public static final int EOPNOTSUPP = 95;

  private final String call;
  private final Path path;
  private final int errno;

  PosixException(String call, Path path, int errno, String errnoText) {
    super(call + " \"" + path + "\": " + errnoText + " (errno " + errno + ")");
    this.call = call;
    this.path = path;
    this.errno = errno;
  }

  /** The libc function that failed, e.g. {@code "mknod"}. */
  public String call() {
    return call;
  }

  public Path path() {
    return path;
  }

  public int errno() {
    return errno;
  }

  /** True for EPERM and EACCES: the caller lacks a privilege rather than hitting a bad path. */
  public boolean isPermissionDenied() {
    return errno == EPERM || errno == EACCES;
  }

  /** True when the file system or the file type does not support the operation. */
  public boolean isNotSupported() {
    return errno == EOPNOTSUPP;
  }
}
