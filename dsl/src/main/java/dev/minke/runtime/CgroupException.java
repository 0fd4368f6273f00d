package dev.minke.runtime;

import dev.minke.error.MinkeException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cgroup could not be made, limited, emptied or removed: the machine cannot give what was
 * asked. Names the controller and the control file, and the hint says how to get it.
 */
public final class CgroupException extends MinkeException {
  /** Hint for every "not allowed" case: who may create cgroups. */
  static final String DELEGATION_HINT =
      "run as root or enable cgroup v2 delegation (systemd: Delegate=yes, e.g. "
          + "`systemd-run --user --scope -p Delegate=yes ...`)";

  private final String controller;
  private final Path file;

  CgroupException(String controller, Path file, String problem, String hint) {
    this(controller, file, problem, hint, null);
  }

  CgroupException(String controller, Path file, String problem, String hint, Throwable cause) {
    super(problem, hint, cause);
    this.controller = controller == null ? "" : controller;
    this.file = file;
  }

  /** The controller concerned ({@code memory}, {@code cpu}, {@code pids}); empty when none. */
  public String controller() {
    return controller;
  }

  /** The control file or cgroup directory concerned, when there is one. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }
}
