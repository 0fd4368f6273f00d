package dev.minke.build;

import dev.minke.error.MinkeException;

/**
 * The stages of a build do not form a buildable graph: a target or a referenced stage that no
 * stage is called, or stages that need each other. Thrown before anything is built, so the
 * store is untouched.
 */
public final class BuildPlanException extends MinkeException {
  public BuildPlanException(String problem, String hint) {
    super(problem, hint);
  }
}
