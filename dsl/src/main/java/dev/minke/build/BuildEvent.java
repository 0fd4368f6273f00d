package dev.minke.build;

/**
 * Progress of a build, as it happens: front ends show it, the engine never prints. Step events
 * name their stage ({@code ""} when the build has one stage); stages of one build run in
 * parallel, so events of different stages interleave.
 */
public sealed interface BuildEvent {
  /** Zero-based index of the step in its stage; -1 for stage events. */
  int index();

  /** The stage's label: its name, {@code stage-N}, or {@code ""} in a one-stage build. */
  String stage();

  /** A step begins: {@code [index+1/count] text}. */
  record StepStarted(int index, int count, String step, String stage) implements BuildEvent {
    public StepStarted(int index, int count, String step) {
      this(index, count, step, "");
    }
  }

  /** One line a RUN step wrote (without its newline), on standard error when {@code stderr}. */
  record OutputLine(int index, String line, boolean stderr, String stage) implements BuildEvent {
    public OutputLine(int index, String line, boolean stderr) {
      this(index, line, stderr, "");
    }
  }

  /** A step ended with its verdict and the reason for it. */
  record StepFinished(int index, int count, String step, Verdict verdict, String reason, long durationMillis,
      String stage) implements BuildEvent {
    public StepFinished(int index, int count, String step, Verdict verdict, String reason, long durationMillis) {
      this(index, count, step, verdict, reason, durationMillis, "");
    }
  }

  /**
   * A stage was not built, with the reason: the target does not need it, or a stage it needs
   * failed. Its steps are not reported one by one.
   */
  record StageSkipped(String stage, int stepCount, String reason) implements BuildEvent {
    @Override
    public int index() {
      return -1;
    }
  }
}
