package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Jupyter's own protocol conformance suite (jupyter_kernel_test) against the installed kernel. */
class KernelConformanceIT {
  @Test
  void jupyterKernelTest_passes() throws Exception {
    InstalledKernel.Result result = InstalledKernel.python("test_conformance", 300);
    assertEquals(0, result.exit(), result.output());
  }
}
