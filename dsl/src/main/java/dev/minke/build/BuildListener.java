package dev.minke.build;

/** Receives a build's events on the building thread (RUN output: on the output's reader thread). */
@FunctionalInterface
public interface BuildListener {
  void on(BuildEvent event);

  /** Ignores every event. */
  BuildListener NONE = event -> {};
}
