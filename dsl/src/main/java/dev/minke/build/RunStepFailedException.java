package dev.minke.build;

import dev.minke.error.MinkeException;
import java.util.List;

/**
 * A RUN step's command exited with a non-zero code. Carries the step, the code, the last lines
 * of its output and the build's steps so far (the failed one FAILED, later ones SKIPPED). The
 * store is as it was before the build.
 */
public final class RunStepFailedException extends MinkeException {
  private final String stage;
  private final int stepNumber;
  private final String step;
  private final int exitCode;
  private final List<String> lastLines;
  private final List<StepResult> steps;

  public RunStepFailedException(int stepNumber, String step, int exitCode, List<String> lastLines,
      List<StepResult> steps) {
    this("", stepNumber, step, exitCode, lastLines, steps);
  }

  /** The failure of a step of stage {@code stage} ({@code ""} in a one-stage build). */
  public RunStepFailedException(String stage, int stepNumber, String step, int exitCode, List<String> lastLines,
      List<StepResult> steps) {
    super((stage.isEmpty() ? "" : "stage " + stage + ", ") + "step " + stepNumber + " (" + step + ") failed with exit code " + exitCode
        + (lastLines.isEmpty() ? "" : ":\n  " + String.join("\n  ", lastLines)),
        exitCode == 127 ? "a program was not found: check the command and the image's PATH"
            : exitCode == 126 ? "a program could not be executed: check its mode and format"
            : "fix the command, then build again");
    this.stage = stage;
    this.stepNumber = stepNumber;
    this.step = step;
    this.exitCode = exitCode;
    this.lastLines = List.copyOf(lastLines);
    this.steps = List.copyOf(steps);
  }

  /** The stage the step belongs to; {@code ""} in a one-stage build. */
  public String stage() {
    return stage;
  }

  /** One-based, as Docker's {@code [3/5]} counts. */
  public int stepNumber() {
    return stepNumber;
  }

  public String step() {
    return step;
  }

  public int exitCode() {
    return exitCode;
  }

  public List<String> lastLines() {
    return lastLines;
  }

  public List<StepResult> steps() {
    return steps;
  }
}
