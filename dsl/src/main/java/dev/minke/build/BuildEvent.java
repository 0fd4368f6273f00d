package dev.minke.build;

/** Progress of a build, as it happens: front ends show it, the engine never prints. */
public sealed interface BuildEvent {
  /** Zero-based index of the step in its stage. */
  int index();

  /** A step begins: {@code [index+1/count] text}. */
  record StepStarted(int index, int count, String step) implements BuildEvent {}

  /** One line a RUN step wrote (without its newline), on standard error when {@code stderr}. */
  record OutputLine(int index, String line, boolean stderr) implements BuildEvent {}

  /** A step ended with its verdict and the reason for it. */
  record StepFinished(int index, int count, String step, Verdict verdict, String reason, long durationMillis)
      implements BuildEvent {}
}
