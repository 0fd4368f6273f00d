package dev.minke.registry;

import dev.minke.error.MinkeException;

/**
 * An image reference that does not follow Docker's reference grammar.
 *
 * <p>{@link #part()} names the piece that is wrong, so a caller (or a front end) can point at it
 * without reading the message: {@code "name"}, {@code "registry"}, {@code "repository"}, {@code
 * "tag"} or {@code "digest"}.
 */
public final class InvalidReferenceException extends MinkeException {
  /** The hint most errors share: the three shapes a reference takes. */
  static final String USUAL_HINT =
      "use a name like busybox, localhost:5000/me/app:1.0 or name@sha256:<64 hex>";

  private final String input;
  private final String part;

  InvalidReferenceException(String input, String part, String problem, String hint) {
    super("invalid reference \"" + shorten(input) + "\": " + problem, hint);
    this.input = input;
    this.part = part;
  }

  InvalidReferenceException(String input, String part, String problem) {
    this(input, part, problem, USUAL_HINT);
  }

  /** Keeps a huge input from becoming a huge message; {@link #input()} still has all of it. */
  static String shorten(String input) {
    return input.length() <= 300 ? input : input.substring(0, 300) + "…";
  }

  /** The text that was parsed. */
  public String input() {
    return input;
  }

  /** Which part is wrong: name, registry, repository, tag or digest. */
  public String part() {
    return part;
  }
}
