package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every step of every build says CACHED or BUILT, and why, as BuildKit's cache would decide. */
class CacheVerdictIT {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;

  @BeforeEach
  void setUp() throws IOException {
    store = TestStores.withBusybox(home);
    Files.createDirectories(context.resolve("src"));
    Files.writeString(context.resolve("src/Main.java"), "class Main {}\n");
    Files.writeString(context.resolve("src/Util.java"), "class Util {}\n");
  }

  private Image build(Stage stage) {
    return build(stage, options());
  }

  private Image build(Stage stage, BuildOptions options) {
    return stage.context(context).buildIn(store, options);
  }

  private static BuildOptions options() {
    return BuildOptions.defaults().withSourceDateEpoch(0);
  }

  private static Stage app(String command) {
    return from("busybox").copy("src/", "/app/").env("MODE", "test").run(command).cmd("cat", "/out");
  }

  private static List<Verdict> verdicts(Image image) {
    return image.steps().stream().map(StepResult::verdict).toList();
  }

  private static List<String> reasons(Image image) {
    return image.steps().stream().map(StepResult::reason).toList();
  }

  @Test
  void build_noChange_everyStepCached() {
    Image first = build(app("cat /app/Main.java > /out"));
    assertEquals(List.of(Verdict.BUILT, Verdict.BUILT, Verdict.BUILT, Verdict.BUILT), verdicts(first));
    assertEquals("not in the cache (first build of this step)", reasons(first).get(0));
    assertEquals("RUN: parent changed (step 1 rebuilt)", reasons(first).get(2));
    Image second = build(app("cat /app/Main.java > /out"));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.CACHED, Verdict.CACHED), verdicts(second));
    assertEquals(List.of("cache hit", "cache hit", "cache hit", "cache hit"), reasons(second));
    assertEquals(first.digest(), second.digest());
    assertEquals(first.steps().get(2).layer(), second.steps().get(2).layer());
  }

  @Test
  void build_copiedFileChanged_copyAndLaterStepsRebuilt() throws IOException {
    build(app("cat /app/Main.java > /out"));
    Files.writeString(context.resolve("src/Main.java"), "class Main { int x; }\n");
    Image second = build(app("cat /app/Main.java > /out"));
    assertEquals(List.of(Verdict.BUILT, Verdict.BUILT, Verdict.BUILT, Verdict.BUILT), verdicts(second));
    assertTrue(reasons(second).get(0).startsWith("COPY src/ /app/: src/Main.java changed (sha256:"),
        reasons(second).get(0));
    assertEquals("ENV: parent changed (step 1 rebuilt)", reasons(second).get(1));
    assertEquals("RUN: parent changed (step 1 rebuilt)", reasons(second).get(2));
  }

  @Test
  void build_onlyMtimeChanged_stillCached() throws IOException {
    build(app("cat /app/Main.java > /out"));
    Files.setLastModifiedTime(context.resolve("src/Main.java"), FileTime.fromMillis(1_000_000_000_000L));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.CACHED, Verdict.CACHED),
        verdicts(build(app("cat /app/Main.java > /out"))));
  }

  @Test
  void build_fileAddedOrModeChanged_saysWhich() throws IOException {
    build(app("true"));
    Files.writeString(context.resolve("src/New.java"), "class New {}\n");
    assertEquals("COPY src/ /app/: src/New.java added", reasons(build(app("true"))).get(0));
    Files.setPosixFilePermissions(context.resolve("src/Util.java"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals("COPY src/ /app/: src/Util.java changed (0644 0:0 -> 0755 0:0)",
        reasons(build(app("true"))).get(0));
  }

  @Test
  void build_runCommandChanged_runAndLaterRebuilt() {
    build(app("cat /app/Main.java > /out"));
    Image second = build(app("cat /app/Util.java > /out"));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.BUILT, Verdict.BUILT), verdicts(second));
    assertEquals("RUN: command changed", reasons(second).get(2));
    assertEquals("CMD: parent changed (step 3 rebuilt)", reasons(second).get(3));
  }

  @Test
  void build_stepsReordered_firstMovedStepSaysWhatWasThere() {
    build(from("busybox").copy("src/", "/app/").run("touch /x"));
    Image reordered = build(from("busybox").run("touch /x").copy("src/", "/app/"));
    assertEquals(List.of(Verdict.BUILT, Verdict.BUILT), verdicts(reordered));
    assertEquals("RUN: step changed (this point had COPY src/ /app/)", reasons(reordered).get(0));
    assertEquals("COPY src/ /app/: parent changed (step 1 rebuilt)", reasons(reordered).get(1));
    // And back: the first order is still in the cache.
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED),
        verdicts(build(from("busybox").copy("src/", "/app/").run("touch /x"))));
  }

  @Test
  void build_buildArgChanged_missesAtFirstUse() {
    Stage stage = from("busybox").arg("VERSION").env("MODE", "test").run("echo $VERSION > /version");
    build(stage, options().withBuildArg("VERSION", "1"));
    Image second = build(stage, options().withBuildArg("VERSION", "2"));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.BUILT), verdicts(second));
    assertEquals("RUN: build arg VERSION changed", reasons(second).get(2));
  }

  @Test
  void build_buildArgUsedByConfigStep_entersItsKeyOnly() {
    Stage stage = from("busybox").arg("LEVEL").arg("UNUSED").env("LEVEL", "${LEVEL}").label("a", "b");
    build(stage, options().withBuildArg("LEVEL", "1").withBuildArg("UNUSED", "x"));
    Image unusedChanged = build(stage, options().withBuildArg("LEVEL", "1").withBuildArg("UNUSED", "y"));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.CACHED, Verdict.CACHED), verdicts(unusedChanged));
    Image usedChanged = build(stage, options().withBuildArg("LEVEL", "2").withBuildArg("UNUSED", "y"));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.BUILT, Verdict.BUILT), verdicts(usedChanged));
    assertEquals("ENV: build arg LEVEL changed", reasons(usedChanged).get(2));
  }

  @Test
  void build_noCache_everyStepBuiltAndSameImage() {
    Image first = build(app("cat /app/Main.java > /out"));
    Image again = build(app("cat /app/Main.java > /out"), options().withNoCache(true));
    assertEquals(List.of(Verdict.BUILT, Verdict.BUILT, Verdict.BUILT, Verdict.BUILT), verdicts(again));
    assertEquals(List.of("--no-cache", "--no-cache", "--no-cache", "--no-cache"), reasons(again));
    assertEquals(first.digest(), again.digest(), "a RUN rebuilt on the same parent gives the same layer");
  }

  @Test
  void build_baseImageChanged_saysSoWithTheNewDigest() {
    build(app("true"));
    BuildResult newBase = BusyboxImage.make(store, BusyboxImage.DEFAULT_BINARY, 86400);
    Image second = build(app("true"));
    assertEquals(List.of(Verdict.BUILT, Verdict.BUILT, Verdict.BUILT, Verdict.BUILT), verdicts(second));
    assertEquals("base image changed (busybox:latest now sha256:"
        + newBase.manifestDescriptor().digest().shortHex() + ")", reasons(second).get(0));
  }

  @Test
  void build_sourceDateEpochChanged_saysSo() {
    build(app("true"));
    Image second = build(app("true"), BuildOptions.defaults().withSourceDateEpoch(5));
    assertEquals("SOURCE_DATE_EPOCH changed (was 0, now 5)", reasons(second).get(0));
  }

  @Test
  void build_cacheIsSharedAndSurvivesGcAfterTheImageIsGone() {
    Image first = build(app("cat /app/Main.java > /out"));
    store.images().removeAll(first.digest());
    store.gc();
    Image again = build(app("cat /app/Main.java > /out").context(context), options());
    Store reopened = Store.open(home);
    Image third = app("cat /app/Main.java > /out").context(context).buildIn(reopened, options());
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.CACHED, Verdict.CACHED), verdicts(again));
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.CACHED, Verdict.CACHED), verdicts(third));
    assertEquals(first.digest(), third.digest());
  }

  @Test
  void build_events_oneStartAndOneFinishPerStepWithOutput() {
    List<BuildEvent> events = new ArrayList<>();
    build(app("echo compiling; cat /app/Main.java > /out"), options().withListener(events::add));
    assertEquals(4, events.stream().filter(e -> e instanceof BuildEvent.StepStarted).count());
    List<BuildEvent.StepFinished> finished = events.stream().filter(e -> e instanceof BuildEvent.StepFinished)
        .map(e -> (BuildEvent.StepFinished) e).toList();
    assertEquals(List.of(0, 1, 2, 3), finished.stream().map(BuildEvent.StepFinished::index).toList());
    assertTrue(events.contains(new BuildEvent.OutputLine(2, "compiling", false)), events.toString());
  }
}
