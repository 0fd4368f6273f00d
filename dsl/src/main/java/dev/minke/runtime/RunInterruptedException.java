package dev.minke.runtime;

import dev.minke.error.InterruptedOperationException;

/**
 * An attached run, exec or build step was interrupted: its process was stopped (SIGTERM, then
 * SIGKILL after a short grace) and its output threads joined before this was thrown.
 */
public class RunInterruptedException extends InterruptedOperationException {
  private final String container;
  private final String command;
  private final boolean removed;

  /**
   * @param container the container's name ({@code "build step"} for a RUN step's container)
   * @param command the command as the user would type it
   * @param removed whether the container is gone as well ({@code --rm})
   */
  public RunInterruptedException(String container, String command, boolean removed) {
    super("interrupted: stopped `" + command + "` in container " + container,
        removed ? "the container was removed (--rm)" : "the container is stopped; look at its logs or remove it");
    this.container = container;
    this.command = command;
    this.removed = removed;
  }

  /** The container's name. */
  public String container() {
    return container;
  }

  /** The command that was running. */
  public String command() {
    return command;
  }

  /** Whether the container was removed too. */
  public boolean removed() {
    return removed;
  }

  /** The same interrupt, once its {@code --rm} container has been removed. */
  public RunInterruptedException afterRemoval() {
    RunInterruptedException removedToo = new RunInterruptedException(container, command, true);
    removedToo.setStackTrace(getStackTrace());
    return removedToo;
  }
}
