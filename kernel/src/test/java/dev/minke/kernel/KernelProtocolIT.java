package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The protocol as a notebook sees it, through jupyter_client's BlockingKernelClient: the live
 * build display and its updates, interrupting a build, container output streams, the
 * {@code %%dockerfile} magic, errors.
 */
class KernelProtocolIT {
  @Test
  void protocolChecks_pass() throws Exception {
    InstalledKernel.Result result = InstalledKernel.python("test_protocol", 600);
    assertEquals(0, result.exit(), result.output());
  }
}
