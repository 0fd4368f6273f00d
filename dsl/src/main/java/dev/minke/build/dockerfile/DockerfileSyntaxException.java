package dev.minke.build.dockerfile;

import dev.minke.error.MinkeException;

/** A Dockerfile cannot be parsed; carries the lines of the offending instruction. */
public class DockerfileSyntaxException extends MinkeException {
  private final int startLine;
  private final int endLine;
  private final String reason;

  public DockerfileSyntaxException(int startLine, int endLine, String reason) {
    super("dockerfile parse error on line " + startLine + ": " + reason,
        "see https://docs.docker.com/reference/dockerfile/ for the instruction's syntax");
    this.startLine = startLine;
    this.endLine = endLine;
    this.reason = reason;
  }

  /** The first line (1-based) of the instruction that fails. */
  public int startLine() {
    return startLine;
  }

  /** The last line of the instruction that fails; equals {@link #startLine()} for one line. */
  public int endLine() {
    return endLine;
  }

  /** What is wrong, in BuildKit's words, e.g. {@code ENV must have two arguments}. */
  public String reason() {
    return reason;
  }
}
