package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BuildEvent;
import dev.minke.build.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A build's live display from synthetic events: what each moment and each ending shows. */
class BuildProgressTest {

  static BuildEvent started(String stage, int index, int count, String step) {
    return new BuildEvent.StepStarted(index, count, step, stage);
  }

  static BuildEvent finished(String stage, int index, int count, String step, Verdict verdict, String reason,
      long millis) {
    return new BuildEvent.StepFinished(index, count, step, verdict, reason, millis, stage);
  }

  static BuildEvent line(String stage, int index, String text) {
    return new BuildEvent.OutputLine(index, text, false, stage);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> steps(Map<String, Object> json, int stage) {
    List<Map<String, Object>> stages = (List<Map<String, Object>>) json.get("stages");
    return (List<Map<String, Object>>) stages.get(stage).get("steps");
  }

  @Test
  void render_oneStageRunning_showsDoneStepsTheRunningOneAndItsOutput() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("", 0, 3, "FROM busybox"));
    progress.on(finished("", 0, 3, "FROM busybox", Verdict.CACHED, "cache hit", 0));
    progress.on(started("", 1, 3, "RUN make"));
    progress.on(line("", 1, "compiling a.c"));

    MimeBundle bundle = progress.render();
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    assertEquals("running", json.get("state"));
    assertEquals(1, json.get("done"));
    assertEquals(3, json.get("total"));
    assertEquals("1 step, 1 cached", json.get("summary"));
    List<Map<String, Object>> steps = steps(json, 0);
    assertEquals(List.of("CACHED", "RUNNING"), steps.stream().map(s -> s.get("verdict")).toList());
    assertEquals(List.of(0, 1), steps.stream().map(s -> s.get("index")).toList());
    assertEquals(List.of("compiling a.c"), steps.get(1).get("output"));
    assertFalse(steps.get(0).containsKey("output"), "a cached step has nothing to show");
    assertEquals("""
        building: 1 step, 1 cached
        [######--------------] 1/3 steps
        [1/3] CACHED  FROM busybox (cache hit)
        [2/3] RUNNING RUN make
            | compiling a.c""", bundle.plain());
    assertTrue(bundle.html().contains("width:33%"), "the bar is a third full: " + bundle.html());
    assertTrue(Xhtml.text(bundle).contains("output of [2/3] RUN make"), bundle.html());
  }

  @Test
  void render_interleavedStages_groupsStepsByStageInIndexOrder() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("build", 0, 2, "FROM busybox"));
    progress.on(started("test", 0, 2, "FROM busybox"));
    progress.on(finished("test", 0, 2, "FROM busybox", Verdict.CACHED, "cache hit", 1));
    progress.on(started("test", 1, 2, "RUN ./test"));
    progress.on(line("test", 1, "ok 1"));
    progress.on(line("build", 0, "stray")); // output of a step that is still starting: kept with it
    progress.on(finished("build", 0, 2, "FROM busybox", Verdict.CACHED, "cache hit", 1));
    progress.on(started("build", 1, 2, "RUN make"));
    progress.on(line("build", 1, "cc -o app"));
    progress.on(line("test", 1, "ok 2"));

    MimeBundle bundle = progress.render();
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> stages = (List<Map<String, Object>>) json.get("stages");
    assertEquals(List.of("build", "test"), stages.stream().map(s -> s.get("stage")).toList());
    assertEquals(List.of("CACHED", "RUNNING"), steps(json, 0).stream().map(s -> s.get("verdict")).toList());
    assertEquals(List.of("ok 1", "ok 2"), steps(json, 1).get(1).get("output"));
    assertEquals(List.of("cc -o app"), steps(json, 0).get(1).get("output"));
    assertEquals(2, json.get("done"));
    assertEquals(4, json.get("total"));
    String text = Xhtml.text(bundle);
    assertTrue(text.contains("stage build") && text.contains("stage test"), text);
    assertTrue(bundle.plain().contains("[test 2/2] RUNNING RUN ./test\n    | ok 1\n    | ok 2"), bundle.plain());
  }

  @Test
  void output_keepsTheLastLinesCutToWidth_withoutTerminalControls() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("", 0, 1, "RUN long"));
    for (int i = 1; i <= 25; i++) {
      progress.on(line("", 0, "line " + i));
    }
    progress.on(line("", 0, "x".repeat(500)));
    progress.on(line("", 0, "\u001b[1;31mred\u001b[0m and plain"));
    progress.on(line("", 0, "progress 10%\rprogress 50%\rprogress 100%"));

    Map<String, Object> step = steps(progress.render().json(), 0).get(0);
    @SuppressWarnings("unchecked")
    List<String> output = (List<String>) step.get("output");
    assertEquals(BuildProgress.TAIL_LINES, output.size());
    assertEquals(28 - BuildProgress.TAIL_LINES, step.get("outputLinesBefore"));
    assertEquals("line 19", output.get(0));
    assertEquals("x".repeat(BuildProgress.LINE_CHARS) + "…", output.get(7));
    assertEquals("red and plain", output.get(8));
    assertEquals("progress 100%", output.get(9));
  }

  @Test
  void finished_collapsesTheStepsUnderASummary_andDropsTheOutput() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("", 0, 3, "FROM busybox"));
    progress.on(finished("", 0, 3, "FROM busybox", Verdict.CACHED, "cache hit", 3));
    progress.on(started("", 1, 3, "RUN make"));
    progress.on(line("", 1, "cc"));
    progress.on(finished("", 1, 3, "RUN make", Verdict.BUILT, "RUN: command changed", 1234));
    progress.on(started("", 2, 3, "CMD [\"/app\"]"));
    progress.on(finished("", 2, 3, "CMD [\"/app\"]", Verdict.BUILT, "config", 0));
    progress.end(new BuildSnapshot.Outcome.Built("app:1", "sha256:" + "ab".repeat(32)));

    MimeBundle bundle = progress.render();
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    assertEquals("finished", json.get("state"));
    assertEquals("3 steps, 1 cached", json.get("summary"));
    assertEquals("app:1", json.get("image"));
    assertEquals("sha256:" + "ab".repeat(32), json.get("digest"));
    assertEquals(3, json.get("done"));
    assertEquals(3, json.get("total"));
    assertTrue(steps(json, 0).stream().noneMatch(s -> s.containsKey("output")), json.toString());
    assertEquals("RUN: command changed", steps(json, 0).get(1).get("reason"));
    assertTrue(bundle.plain().startsWith("built app:1 (sha256:abababababab…): 3 steps, 1 cached\n"), bundle.plain());
    assertTrue(bundle.html().contains("<details><summary"), "steps collapse under the summary");
    assertTrue(Xhtml.text(bundle).contains("1.2s"), "durations in the HTML");
    assertTrue(progress.ended());
  }

  @Test
  void failed_showsWhereItStopped_theFailedStepsOutput_andTheError() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("", 0, 3, "FROM busybox"));
    progress.on(finished("", 0, 3, "FROM busybox", Verdict.CACHED, "cache hit", 0));
    progress.on(started("", 1, 3, "RUN make"));
    progress.on(line("", 1, "error: no rule"));
    progress.on(finished("", 1, 3, "RUN make", Verdict.FAILED, "exit code 2", 50));
    progress.on(finished("", 2, 3, "COPY . /", Verdict.SKIPPED, "an earlier step failed", 0));
    progress.failed(new IllegalStateException("RUN make failed with exit code 2\nlast lines: error: no rule"));

    MimeBundle bundle = progress.render();
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    assertEquals("failed", json.get("state"));
    assertEquals("IllegalStateException", json.get("errorType"));
    assertEquals("RUN make failed with exit code 2\nlast lines: error: no rule", json.get("error"));
    assertEquals(List.of(Map.of("stage", "", "index", 1, "step", "RUN make")), json.get("stoppedAt"));
    assertEquals(List.of("error: no rule"), steps(json, 0).get(1).get("output"));
    assertEquals(List.of("CACHED", "FAILED", "SKIPPED"), steps(json, 0).stream().map(s -> s.get("verdict")).toList());
    assertTrue(bundle.plain().startsWith("build failed at [2/3] RUN make: RUN make failed with exit code 2\n"),
        bundle.plain());
    assertTrue(bundle.plain().endsWith("IllegalStateException: RUN make failed with exit code 2\n"
        + "last lines: error: no rule"), bundle.plain());
    assertTrue(bundle.html().contains("background:" + Styles.RED), "a red bar and badge");
  }

  @Test
  void failed_whileAStepRuns_namesTheInterruptedStep() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("app", 0, 2, "RUN sleep 100"));
    progress.on(line("app", 0, "zzz"));
    progress.failed(new RuntimeException("interrupted"));

    Map<String, Object> json = progress.render().json();
    assertEquals(List.of(Map.of("stage", "app", "index", 0, "step", "RUN sleep 100")), json.get("stoppedAt"));
    assertEquals("STOPPED", steps(json, 0).get(0).get("verdict"));
    assertEquals(List.of("zzz"), steps(json, 0).get(0).get("output"));
  }

  @Test
  void failed_inOneStage_isWhereItStopped_notTheOtherStagesCancelledSteps() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("build", 0, 2, "RUN make"));
    progress.on(started("test", 0, 2, "RUN ./test"));
    progress.on(finished("build", 0, 2, "RUN make", Verdict.FAILED, "exit code 2", 5));
    progress.failed(new RuntimeException("RUN make failed"));

    MimeBundle bundle = progress.render();
    Xhtml.check(bundle);
    assertEquals(List.of(Map.of("stage", "build", "index", 0, "step", "RUN make")), bundle.json().get("stoppedAt"));
    assertEquals("STOPPED", steps(bundle.json(), 1).get(0).get("verdict"));
    assertTrue(bundle.plain().startsWith("build failed at [build 1/2] RUN make: RUN make failed\n"), bundle.plain());
  }

  @Test
  void skippedStage_countsAsDone_andIsNamedInTheSummary() {
    BuildProgress progress = new BuildProgress();
    progress.on(new BuildEvent.StageSkipped("docs", 4, "not needed by the target"));
    progress.on(started("app", 0, 1, "FROM busybox"));
    progress.on(finished("app", 0, 1, "FROM busybox", Verdict.CACHED, "cache hit", 0));

    MimeBundle bundle = progress.render();
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    assertEquals(5, json.get("done"));
    assertEquals(5, json.get("total"));
    assertEquals("1 step, 1 cached, 1 stage skipped", json.get("summary"));
    @SuppressWarnings("unchecked")
    Map<String, Object> docs = ((List<Map<String, Object>>) json.get("stages")).get(0);
    assertEquals("not needed by the target", docs.get("skipped"));
    assertTrue(bundle.plain().contains("[docs] SKIPPED stage (not needed by the target)"), bundle.plain());
  }

  @Test
  void versionAndChanged_tellAFrontEndWhenToRedraw() {
    BuildProgress progress = new BuildProgress();
    assertTrue(progress.changed(), "never rendered");
    progress.render();
    assertFalse(progress.changed());
    long before = progress.version();
    progress.on(started("", 0, 1, "RUN x"));
    assertEquals(before + 1, progress.version());
    assertTrue(progress.changed());
    progress.render();
    assertFalse(progress.changed());
    progress.failed(new RuntimeException("x"));
    assertTrue(progress.changed(), "the ending is a change");
  }

  @Test
  void textAndJson_doNotDependOnDurations_html_does() {
    BuildProgress fast = new BuildProgress();
    BuildProgress slow = new BuildProgress();
    fast.on(finished("", 0, 1, "RUN make", Verdict.BUILT, "no cache", 10));
    slow.on(finished("", 0, 1, "RUN make", Verdict.BUILT, "no cache", 98_765));
    MimeBundle a = fast.render();
    MimeBundle b = slow.render();
    assertEquals(a.plain(), b.plain());
    assertEquals(a.json(), b.json());
    assertNotEquals(a.html(), b.html());
  }

  @Test
  void hostileStepTextAndOutput_areEscaped() {
    BuildProgress progress = new BuildProgress();
    progress.on(started("<b>stage</b>", 0, 1, "RUN echo " + Xhtml.HOSTILE));
    progress.on(line("<b>stage</b>", 0, Xhtml.HOSTILE));
    progress.failed(new RuntimeException(Xhtml.HOSTILE));
    MimeBundle bundle = progress.render();
    Xhtml.assertEscaped(bundle);
    assertEquals(0, Xhtml.parse(bundle.html()).getElementsByTagName("b").getLength(), "no <b> from a stage name");
  }

  @Test
  void concurrentEventsAndRenders_loseNothing() throws Exception {
    BuildProgress progress = new BuildProgress();
    int stages = 4;
    int stepsPerStage = 50;
    ExecutorService pool = Executors.newFixedThreadPool(stages + 1);
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean building = new AtomicBoolean(true);
    try {
      Future<Integer> renderer = pool.submit(() -> {
        go.await();
        int renders = 0;
        while (building.get()) {
          MimeBundle bundle = progress.render();
          Xhtml.parse(bundle.html());
          renders++;
        }
        return renders;
      });
      List<Future<?>> builders = new ArrayList<>();
      for (int s = 0; s < stages; s++) {
        String stage = "s" + s;
        builders.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < stepsPerStage; i++) {
            progress.on(started(stage, i, stepsPerStage, "RUN step " + i));
            for (int l = 0; l < 15; l++) {
              progress.on(line(stage, i, "out " + l));
            }
            progress.on(finished(stage, i, stepsPerStage, "RUN step " + i, Verdict.BUILT, "no cache", 1));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> builder : builders) {
        builder.get(60, TimeUnit.SECONDS);
      }
      building.set(false);
      assertTrue(renderer.get(60, TimeUnit.SECONDS) > 0);
    } finally {
      pool.shutdownNow();
    }
    progress.end(new BuildSnapshot.Outcome.Built("", "sha256:00"));
    Map<String, Object> json = progress.render().json();
    assertEquals(stages * stepsPerStage, json.get("done"));
    assertEquals(stages * stepsPerStage, json.get("total"));
    assertEquals(stages * stepsPerStage + " steps, 0 cached", json.get("summary"));
    assertEquals(stages * (stepsPerStage * 17) + 1, progress.version());
  }
}
