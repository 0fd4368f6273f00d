package dev.minke.runtime;

import dev.minke.error.MinkeException;

/** An operation that needs a running container (exec) was asked of one that is not running. */
public class ContainerNotRunningException extends MinkeException {
  private final String containerName;

  public ContainerNotRunningException(String containerName, String why) {
    super("container " + containerName + " is not running: " + why,
        "start it first, or run the image again to get a new container");
    this.containerName = containerName;
  }

  public String containerName() {
    return containerName;
  }
}
