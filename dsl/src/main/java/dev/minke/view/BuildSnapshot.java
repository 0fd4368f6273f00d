package dev.minke.view;

import dev.minke.build.Verdict;
import java.util.List;

/**
 * A build's progress at one moment, immutable, so that rendering runs outside the lock the
 * building threads take: its stages in the order they were first heard of, and how it ended.
 *
 * @param outcome null while the build runs
 */
record BuildSnapshot(List<Stage> stages, Outcome outcome) {
  BuildSnapshot {
    stages = List.copyOf(stages);
  }

  /**
   * One stage: its label ({@code ""} in a one-stage build), its step count, the steps heard of so
   * far by index, and, for a stage that was not built, why.
   *
   * @param skipped null unless the stage was skipped
   */
  record Stage(String label, int count, List<Step> steps, String skipped) {
    Stage {
      steps = List.copyOf(steps);
    }
  }

  /**
   * One step: {@code verdict} null while it runs; {@code output} the last lines it wrote, kept
   * while it runs and, when it failed, after.
   */
  record Step(int index, int count, String text, Verdict verdict, String reason, long durationMillis,
      List<String> output, int linesBefore) {
    Step {
      output = List.copyOf(output);
    }

    boolean running() {
      return verdict == null;
    }
  }

  /** How the build ended. */
  sealed interface Outcome {
    /** It stored the image {@code image} (its name, or "" for none) with manifest digest {@code digest}. */
    record Built(String image, String digest) implements Outcome {}

    /** It failed (or was interrupted) with an error of type {@code type}. */
    record Failed(String type, String message) implements Outcome {}
  }

  /** Steps finished plus the steps of skipped stages. */
  int done() {
    int done = 0;
    for (Stage stage : stages) {
      done += stage.skipped() != null ? stage.count()
          : (int) stage.steps().stream().filter(s -> !s.running()).count();
    }
    return done;
  }

  /** The steps of every stage heard of: a stage not yet started is not counted. */
  int total() {
    return stages.stream().mapToInt(Stage::count).sum();
  }

  /** The steps heard of that ran or were decided, across stages. */
  List<Step> steps() {
    return stages.stream().flatMap(s -> s.steps().stream()).toList();
  }
}
