package dev.minke.runtime;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.pid_t;

/** Sends any signal to a process: {@link ProcessHandle} only knows SIGTERM and SIGKILL. */
final class Signals {
  static final int SIGKILL = 9;
  private static final int ESRCH = 3;

  private Signals() {}

  /**
   * Sends {@code signal} to {@code pid}; a process that is already gone (ESRCH) is not an error.
   *
   * @return false when the process was already gone
   */
  static boolean send(long pid, int signal) {
    if (pid <= 1) {
      throw new IllegalArgumentException("refusing to signal pid " + pid);
    }
    if (Lib.C.kill((int) pid, signal) == 0) {
      return true;
    }
    int errno = LastError.getLastError(Lib.RUNTIME);
    if (errno == ESRCH) {
      return false;
    }
    throw new CgroupException(
        "", null, "kill(" + pid + ", " + signal + ") failed: " + Lib.C.strerror(errno),
        "run as the user that owns the container's processes, or as root");
  }

  private static final class Lib {
    static final LibC C = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(C);

    /** Public only so that jnr-ffi's generated class can implement it. */
    public interface LibC {
      @SaveError
      int kill(@pid_t int pid, int signal);

      String strerror(int errnum);
    }
  }
}
