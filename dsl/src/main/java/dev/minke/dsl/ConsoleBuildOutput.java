package dev.minke.dsl;

import dev.minke.build.BuildEvent;
import java.util.Locale;

/**
 * Prints one line per finished build step to this JVM's stdout (JShell):
 * {@code [2/5] CACHED RUN make (cache hit) 0.0s}, with the stage's name in a build of several
 * ({@code [build 2/5] …}), and one line per skipped stage.
 */
final class ConsoleBuildOutput implements BuildDisplay {
  static final ConsoleBuildOutput INSTANCE = new ConsoleBuildOutput();

  private ConsoleBuildOutput() {}

  @Override
  public void on(BuildEvent event) {
    if (event instanceof BuildEvent.StepFinished done) {
      System.out.println(line(done));
      System.out.flush();
    } else if (event instanceof BuildEvent.StageSkipped skipped) {
      System.out.println("[" + skipped.stage() + "] SKIPPED stage (" + skipped.reason() + ")");
      System.out.flush();
    }
  }

  static String line(BuildEvent.StepFinished done) {
    return String.format(Locale.ROOT, "[%s%d/%d] %-6s %s (%s) %.1fs",
        done.stage().isEmpty() ? "" : done.stage() + " ", done.index() + 1, done.count(),
        done.verdict(), done.step(), done.reason(), done.durationMillis() / 1000.0);
  }
}
