package dev.minke.kernel;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell the kernel's one {@link LiveExecutionControl}, so the kernel keeps a handle on it. */
final class LiveExecutionControlProvider implements ExecutionControlProvider {
  private final LiveExecutionControl control;

  LiveExecutionControlProvider(LiveExecutionControl control) {
    this.control = control;
  }

  @Override
  public String name() {
    return "minke-live";
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return control;
  }
}
