package dev.minke.runtime;

import dev.minke.error.InterruptedOperationException;

/** Waiting for a container was interrupted; the wait stopped, the container is left as it was. */
public class WaitInterruptedException extends InterruptedOperationException {
  private final String container;

  public WaitInterruptedException(String container, String waitingFor) {
    super("interrupted while waiting for container " + container + " " + waitingFor,
        "the container is left as it is; wait again, or stop it");
    this.container = container;
  }

  /** The container's name. */
  public String container() {
    return container;
  }
}
