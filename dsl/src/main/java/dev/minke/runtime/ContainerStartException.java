package dev.minke.runtime;

import dev.minke.error.MinkeException;

/** The runtime could not set the container up (exit 125): which step failed and why. */
public class ContainerStartException extends MinkeException {
  private final String step;

  public ContainerStartException(String containerName, String step, String detail) {
    super("container " + containerName + " did not start: step " + step + " failed: " + detail, hintFor(step, detail));
    this.step = step;
  }

  /** The setup step that failed, as minke-init names it ({@code pivot_root}, {@code cwd}, …). */
  public String step() {
    return step;
  }

  private static String hintFor(String step, String detail) {
    if (step.equals("clone") && detail.contains("Operation not permitted")) {
      return "unprivileged user namespaces look disabled; check sysctl kernel.unprivileged_userns_clone"
          + " or user.max_user_namespaces, or run as root";
    }
    if (step.equals("cwd")) {
      return "the working directory does not exist in the image; create it in the image or pick another with workdir";
    }
    if (step.equals("device_filter")) {
      return "the kernel refused the cgroup v2 device filter (a BPF program); it needs root, a kernel with "
          + "CONFIG_CGROUP_BPF and no LSM or sysctl blocking bpf(); or use runc (MINKE_RUNTIME=runc)";
    }
    if (step.equals("cgroup")) {
      return "the cgroup could not be joined; run as root or enable cgroup v2 delegation";
    }
    return "see the step's message; `minke fsck` checks the image's snapshots";
  }
}
