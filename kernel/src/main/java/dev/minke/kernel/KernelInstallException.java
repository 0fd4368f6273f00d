package dev.minke.kernel;

import dev.minke.error.MinkeException;

/** Installing the kernelspec failed: Jupyter missing, a command failing, a directory not writable. */
final class KernelInstallException extends MinkeException {
  private static final long serialVersionUID = 1L;

  KernelInstallException(String problem, String hint) {
    super(problem, hint);
  }

  KernelInstallException(String problem, String hint, Throwable cause) {
    super(problem, hint, cause);
  }
}
