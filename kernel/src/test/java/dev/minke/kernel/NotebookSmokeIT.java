package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The smoke notebook, executed headless by nbclient; its outputs and nbconvert's HTML checked. */
class NotebookSmokeIT {
  @Test
  void smokeNotebook_executesWithTheExpectedOutputs() throws Exception {
    InstalledKernel.Result result = InstalledKernel.python("test_smoke_notebook", 600);
    assertEquals(0, result.exit(), result.output());
  }
}
