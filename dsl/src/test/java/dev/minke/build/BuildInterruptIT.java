package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.Descriptor;
import dev.minke.os.Interruption;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting a build's thread (a notebook cell's interrupt): the RUN step's container is killed,
 * its partial layer dropped, the steps that finished stay cached and nothing else stays, and the
 * next build continues after the finished steps.
 */
class BuildInterruptIT {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;
  private String indexBefore;
  private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    store = TestStores.withBusybox(home);
    // Busybox unpacked up front, so that the snapshot listing only moves for what a build adds.
    Descriptor busybox = store.require(dev.minke.registry.Reference.parse("busybox"));
    try (Operation operation = store.operation()) {
      var manifest = store.manifest(busybox.digest());
      operation.prepareSnapshots(manifest, store.config(manifest));
      operation.commit();
    }
    try {
      indexBefore = Files.readString(home.resolve("index.json"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A step that says "started" and sleeps the first time only: it marks a cache mount, whose
   * content is not part of the step's key, so the rebuild runs the same step and it ends at once.
   */
  private static Stage sleepsOnce(Stage stage, String name, int seconds) {
    return stage.run(RunFlags.defaults().withCacheMount("/mark-" + name),
        "echo started-" + name + "; [ -e /mark-" + name + "/slept ] && exit 0; touch /mark-" + name
            + "/slept; sleep " + seconds);
  }

  private BuildOptions options(CountDownLatch started) {
    return BuildOptions.defaults().withSourceDateEpoch(0).withContextDir(context).withListener(event -> {
      events.add(event);
      if (event instanceof BuildEvent.OutputLine line && line.line().startsWith("started-")) {
        started.countDown();
      }
    });
  }

  @Test
  void interruptDuringRun_killsTheStep_keepsTheFinishedStepsCached_andTheRebuildContinues() throws Exception {
    Stage stage = sleepsOnce(from("busybox").run("echo one > /one").env("A", "b"), "x", 4711).run("echo after > /after");
    String before = storeListing();
    CountDownLatch started = new CountDownLatch(1);

    Interruption.Outcome outcome = Interruption.interruptWhen(started, () -> stage.buildIn(store, options(started)));

    BuildInterruptedException e = assertInstanceOf(BuildInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet(), "the interrupt status is set again");
    assertTrue(e.getMessage().startsWith("build interrupted at step 3/4 RUN --mount=type=cache,target=/mark-x "),
        e.getMessage());
    assertEquals(BuildInterruptedException.HINT, e.hint());
    assertEquals(List.of(new BuildInterruptedException.Place("", 3, 4, stage.steps().get(2).createdBy(), true)),
        e.places());
    assertTrue(Interruption.awaitGone(List.of("sleep", "4711")), "the step's sleep was killed");
    assertNothingLeft();
    assertEquals(List.of("FAILED interrupted", "SKIPPED not run: step 3 failed"), finished(2));

    // What stays: exactly the two finished steps' cache entries and the first step's layer.
    String after = storeListing();
    assertEquals(2, cacheEntries().size(), after);
    Image prefix = from("busybox").run("echo one > /one").env("A", "b").buildIn(store, options(new CountDownLatch(1)));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED), prefix.steps().stream().map(StepResult::verdict).toList());
    assertEquals(2, cacheEntries().size(), "the prefix found every step in the cache");
    assertTrue(before.lines().allMatch(after.lines().toList()::contains), "nothing was taken away");

    events.clear();
    Image image = stage.buildIn(store, options(new CountDownLatch(1)));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.BUILT, Verdict.BUILT),
        image.steps().stream().map(StepResult::verdict).toList());
    assertTrue(store.fsck().ok(), store.fsck().toString());
  }

  @Test
  void interruptDuringParallelStages_stopsBoth_andKeepsEachStagesFinishedSteps() throws Exception {
    Stage a = sleepsOnce(from("busybox").as("a").run("echo a > /a"), "a", 4712);
    Stage b = sleepsOnce(from("busybox").as("b").run("echo b > /b"), "b", 4713);
    Stage app = from("busybox").copy(a, "/a", "/a").copy(b, "/b", "/b");
    CountDownLatch bothStarted = new CountDownLatch(2);

    Interruption.Outcome outcome = Interruption.interruptWhen(bothStarted,
        () -> app.buildIn(store, options(bothStarted)));

    BuildInterruptedException e = assertInstanceOf(BuildInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet());
    assertEquals(List.of("a 2/2 true", "b 2/2 true"), e.places().stream()
        .map(p -> p.stage() + " " + p.stepNumber() + "/" + p.stepCount() + " " + p.running()).sorted().toList(),
        e.getMessage());
    assertTrue(e.getMessage().contains("(stage a)") && e.getMessage().contains("(stage b)"), e.getMessage());
    assertTrue(Interruption.awaitGone(List.of("sleep", "4712")), "stage a's sleep was killed");
    assertTrue(Interruption.awaitGone(List.of("sleep", "4713")), "stage b's sleep was killed");
    assertNothingLeft();
    assertEquals(2, cacheEntries().size(), "one finished step per stage: " + cacheEntries());

    events.clear();
    app.buildIn(store, options(new CountDownLatch(2)));
    Map<String, List<Verdict>> verdicts = new TreeMap<>();
    events.stream().filter(ev -> ev instanceof BuildEvent.StepFinished).map(ev -> (BuildEvent.StepFinished) ev)
        .forEach(f -> verdicts.computeIfAbsent(f.stage(), k -> new ArrayList<>()).add(f.verdict()));
    assertEquals(List.of(Verdict.CACHED, Verdict.BUILT), verdicts.get("a"), verdicts.toString());
    assertEquals(List.of(Verdict.CACHED, Verdict.BUILT), verdicts.get("b"), verdicts.toString());
    assertTrue(store.fsck().ok(), store.fsck().toString());
  }

  @Test
  void buildOnAnInterruptedThread_runsNoStep_andChangesNothing() throws Exception {
    Stage stage = from("busybox").run("echo one > /one").run("echo two > /two");
    String before = storeListing();
    Thread.currentThread().interrupt();
    try {
      BuildInterruptedException e = org.junit.jupiter.api.Assertions.assertThrows(BuildInterruptedException.class,
          () -> stage.buildIn(store, options(new CountDownLatch(1))));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
      assertTrue(e.getMessage().startsWith("build interrupted before"), e.getMessage());
      assertTrue(e.places().stream().noneMatch(BuildInterruptedException.Place::running), e.getMessage());
    } finally {
      Thread.interrupted();
    }
    assertEquals(before, storeListing());
    assertNothingLeft();
  }

  /** No mount under the store, no scratch directory, no image added, and fsck is happy. */
  private void assertNothingLeft() throws IOException {
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()), "no mount is left");
    try (Stream<Path> tmp = Files.exists(home.resolve("tmp")) ? Files.list(home.resolve("tmp")) : Stream.empty()) {
      assertEquals(List.of(), tmp.toList(), "no scratch directory is left");
    }
    assertEquals(indexBefore, Files.readString(home.resolve("index.json")), "no image was added");
    assertTrue(store.fsck().ok(), store.fsck().toString());
    assertEquals(List.of(store.snapshots().list().get(0)), store.snapshots().list(),
        "only busybox's snapshot: the one made for the interrupted step is gone");
  }

  private List<String> finished(int fromIndex) {
    return events.stream().filter(ev -> ev instanceof BuildEvent.StepFinished).map(ev -> (BuildEvent.StepFinished) ev)
        .filter(f -> f.index() >= fromIndex).map(f -> f.verdict() + " " + f.reason()).toList();
  }

  private List<String> cacheEntries() throws IOException {
    Path entries = home.resolve("cache/entries");
    if (!Files.isDirectory(entries)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(entries)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }

  /** Blobs, index, cache entries and snapshots, one per line. */
  private String storeListing() throws IOException {
    List<String> lines = new ArrayList<>(List.of(TestStores.snapshotOf(store).split("\n")));
    lines.addAll(cacheEntries());
    store.snapshots().list().forEach(chain -> lines.add("snapshot " + chain));
    return lines.stream().collect(Collectors.joining("\n"));
  }
}
