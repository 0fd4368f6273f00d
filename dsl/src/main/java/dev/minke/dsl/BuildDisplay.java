package dev.minke.dsl;

import dev.minke.build.BuildListener;

/**
 * How a front end shows one build while it runs and when it ends: JShell prints a line per step,
 * the notebook kernel updates one display in place. Events arrive on the building threads.
 */
public interface BuildDisplay extends BuildListener {
  /** The build stored {@code image}; called once, after the last event. */
  default void finished(Image image) {}

  /** The build failed or was interrupted with {@code error}; called once, after the last event. */
  default void failed(RuntimeException error) {}
}
