package dev.minke.build;

import java.util.List;

/**
 * What a build did with one stage: its label, a verdict (CACHED when every step was, BUILT,
 * SKIPPED with the reason, FAILED) and its steps.
 */
public record StageReport(String stage, Verdict verdict, String reason, List<StepResult> steps) {
  public StageReport {
    steps = List.copyOf(steps);
    reason = reason == null ? "" : reason;
  }

  @Override
  public String toString() {
    return verdict + " stage " + stage + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
