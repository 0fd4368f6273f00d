package dev.minke.build;

import dev.minke.error.MinkeException;

/**
 * A build input is wrong: a copy source that is missing, outside the context, excluded by
 * {@code .dockerignore} or unreadable, or a user name the image does not know.
 */
public class BuildInputException extends MinkeException {
  private final String step;

  public BuildInputException(String step, String problem, String hint) {
    super(step + ": " + problem, hint);
    this.step = step;
  }

  public BuildInputException(String step, String problem, String hint, Throwable cause) {
    super(step + ": " + problem, hint, cause);
    this.step = step;
  }

  /** The step as written, e.g. {@code COPY src/ /app/}. */
  public String step() {
    return step;
  }
}
