package dev.minke.runtime;

import dev.minke.error.MinkeException;

/** The container is not in a state that allows what was asked (removing a running one, killing a stopped one). */
public class ContainerStateException extends MinkeException {
  private final String container;
  private final ContainerRecord.State state;

  public ContainerStateException(String container, ContainerRecord.State state, String problem, String hint) {
    super("container " + container + " is " + state.name().toLowerCase() + ": " + problem, hint);
    this.container = container;
    this.state = state;
  }

  /** The container's name. */
  public String container() {
    return container;
  }

  /** The state it was in. */
  public ContainerRecord.State state() {
    return state;
  }
}
