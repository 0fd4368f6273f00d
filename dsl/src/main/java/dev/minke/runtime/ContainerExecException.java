package dev.minke.runtime;

import dev.minke.error.MinkeException;

/** The runtime could not start a process in a running container (exit 125): which step failed and why. */
public class ContainerExecException extends MinkeException {
  private final String step;

  public ContainerExecException(String containerName, String step, String detail) {
    super("exec in container " + containerName + " failed: step " + step + " failed: " + detail, hintFor(step));
    this.step = step;
  }

  /** The step that failed, as minke-init names it ({@code target}, {@code setns}, {@code cwd}, …). */
  public String step() {
    return step;
  }

  private static String hintFor(String step) {
    return switch (step) {
      case "target", "fork" -> "the container stopped meanwhile; start it again";
      case "cwd" -> "the working directory does not exist in the container; pick another with withWorkdir";
      case "cgroup" -> "the container's cgroup could not be joined; run as root or enable cgroup v2 delegation";
      default -> "see the step's message";
    };
  }
}
