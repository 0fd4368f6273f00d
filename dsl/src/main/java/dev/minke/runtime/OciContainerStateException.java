package dev.minke.runtime;

import dev.minke.error.MinkeException;

/**
 * An OCI runtime operation that the container's state does not allow: no container with the ID,
 * an ID that is taken, or a verb for another status (start of a running container, delete of a
 * running one). Nothing was changed.
 */
public final class OciContainerStateException extends MinkeException {
  /** {@link #status()} of a container that does not exist. */
  public static final String ABSENT = "absent";

  private final String id;
  private final String status;

  OciContainerStateException(String id, String status, String problem, String hint) {
    super(problem, hint);
    this.id = id;
    this.status = status;
  }

  static OciContainerStateException notFound(String id, java.nio.file.Path root) {
    return new OciContainerStateException(id, ABSENT, "container \"" + id + "\" does not exist in " + root,
        "`minke runtime create` makes it; --root must match the one given to create");
  }

  static OciContainerStateException exists(String id, java.nio.file.Path root) {
    return new OciContainerStateException(id, "exists", "container \"" + id + "\" already exists in " + root,
        "pick another ID, or `minke runtime delete " + id + "` first");
  }

  /** The container ID. */
  public String id() {
    return id;
  }

  /** Its status then: created, running, stopped, or {@link #ABSENT}. */
  public String status() {
    return status;
  }
}
