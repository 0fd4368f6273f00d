package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.minke.build.BuildEvent;
import dev.minke.build.Verdict;
import org.junit.jupiter.api.Test;

class ConsoleBuildOutputTest {
  @Test
  void line_oneLinePerStep_withVerdictReasonAndTime() {
    assertEquals("[3/5] CACHED RUN make (cache hit) 0.0s", ConsoleBuildOutput.line(
        new BuildEvent.StepFinished(2, 5, "RUN make", Verdict.CACHED, "cache hit", 12)));
    assertEquals("[1/2] BUILT  COPY src/ /app/ (COPY src/ /app/: src/Main.java added) 1.5s", ConsoleBuildOutput.line(
        new BuildEvent.StepFinished(0, 2, "COPY src/ /app/", Verdict.BUILT, "COPY src/ /app/: src/Main.java added",
            1500)));
  }
}
