package dev.minke.build;

import static dev.minke.Minke.chmod;
import static dev.minke.Minke.chown;
import static dev.minke.Minke.from;
import static dev.minke.Minke.network;
import static dev.minke.Minke.scratch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Build;
import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.Descriptor;
import dev.minke.image.LayerListing;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-stage builds: copy from a stage, build on a stage, skip, parallel, fail, toDockerfile. */
class MultiStageIT {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;
  private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    store = TestStores.withBusybox(home);
  }

  private BuildOptions options() {
    return BuildOptions.defaults().withSourceDateEpoch(0).withContextDir(context).withListener(events::add);
  }

  private static Descriptor last(Image image) {
    List<Descriptor> layers = image.manifest().layers();
    return layers.get(layers.size() - 1);
  }

  @Test
  void copyFromStage_copiesTheOtherStagesFile_andCachesOnItsContent() throws IOException {
    Stage build = from("busybox").as("build").run("mkdir /out && echo hi > /out/hello && chmod 0750 /out/hello");
    Stage app = scratch().copy(build, "/out/hello", "/hello");

    Image image = app.buildIn(store, options());

    assertEquals(1, image.manifest().layers().size());
    assertEquals("hi\n", RunStepIT.fileText(store, last(image), "hello"));
    LayerListing layer = TestStores.listing(store, last(image));
    assertEquals(0750, layer.entries().get("hello").mode() & 07777, layer.toString());
    assertEquals("COPY /out/hello /hello", image.steps().get(0).createdBy());

    events.clear();
    Image again = app.buildIn(store, options());
    assertEquals(image.digest(), again.digest());
    assertTrue(events.stream().filter(e -> e instanceof BuildEvent.StepFinished).allMatch(
        e -> ((BuildEvent.StepFinished) e).verdict() == Verdict.CACHED), events.toString());
  }

  @Test
  void copyFromStage_directoryWithChown_keepsTreeAndSetsOwner() throws IOException {
    Stage build = from("busybox").run("mkdir -p /out/sub && echo a > /out/a && echo b > /out/sub/b");
    Image image = scratch().copy(build, chown("7:8"), "/out", "/app").buildIn(store, options());
    LayerListing layer = TestStores.listing(store, last(image));
    assertEquals("b\n", RunStepIT.fileText(store, last(image), "app/sub/b"));
    assertEquals(7, layer.entries().get("app/a").uid());
    assertEquals(8, layer.entries().get("app/sub/b").gid());
  }

  @Test
  void fromStage_startsWhereTheOtherEnded() throws IOException {
    Stage base = from("busybox").env("GREETING", "hi").run("echo x > /x");
    Image image = from(base).run("cat /x > /y; echo $GREETING >> /y").buildIn(store, options());
    assertEquals("x\nhi\n", RunStepIT.fileText(store, last(image), "y"));
    assertEquals(3, image.manifest().layers().size());
    assertTrue(image.config().config().env().contains("GREETING=hi"));
  }

  @Test
  void target_buildsOnlyTheStagesItNeeds_restSkipped() {
    Build build = Build.of(
        from("busybox").as("unused").run("exit 1"),
        from("busybox").as("build").run("echo hi > /hello"),
        scratch().as("app").copyFrom("build", "/hello", "/hello"));

    BuildResult result = build.result(store, options());

    StageReport unused = result.stages().stream().filter(s -> s.stage().equals("unused")).findFirst().orElseThrow();
    assertEquals(Verdict.SKIPPED, unused.verdict());
    assertEquals("not needed for target app", unused.reason());
    assertTrue(events.contains(new BuildEvent.StageSkipped("unused", 1, "not needed for target app")), events.toString());
    assertEquals(List.of("unused", "build", "app"), result.stages().stream().map(StageReport::stage).toList());
    assertTrue(events.stream().noneMatch(e -> e.stage().equals("unused") && e instanceof BuildEvent.StepStarted));

    BuildResult onlyBuild = build.target("build").result(store, options());
    assertEquals(Verdict.SKIPPED, onlyBuild.stages().stream().filter(s -> s.stage().equals("app")).findFirst()
        .orElseThrow().verdict());
  }

  @Test
  void independentStages_runInParallel() {
    Stage one = from("busybox").as("one").run("sleep 1; echo 1 > /one");
    Stage two = from("busybox").as("two").run("sleep 1; echo 2 > /two");
    Stage app = scratch().copy(one, "/one", "/one").copy(two, "/two", "/two");
    Map<String, long[]> times = new java.util.concurrent.ConcurrentHashMap<>();
    BuildOptions options = options().withListener(event -> {
      if (event.index() == 0 && (event.stage().equals("one") || event.stage().equals("two"))) {
        long[] t = times.computeIfAbsent(event.stage(), k -> new long[2]);
        if (event instanceof BuildEvent.StepStarted) {
          t[0] = System.nanoTime();
        } else if (event instanceof BuildEvent.StepFinished) {
          t[1] = System.nanoTime();
        }
      }
    });

    app.buildIn(store, options);

    long[] a = times.get("one");
    long[] b = times.get("two");
    // Overlap proves concurrency; how long they took together is a machine's speed, not a test.
    assertTrue(a[0] < b[1] && b[0] < a[1], "the two RUN steps overlap in time");
  }

  @Test
  void failingStage_failsTheBuild_storeUnchanged_laterStepsAndStagesSkipped() {
    Stage good = from("busybox").as("good").run("echo ok > /ok");
    Stage bad = from("busybox").as("bad").run("echo boom; exit 3").run("echo never");
    Stage app = scratch().as("app").copy(good, "/ok", "/ok").copy(bad, "/ok", "/bad");
    String before = TestStores.snapshotOf(store);

    RunStepFailedException e = assertThrows(RunStepFailedException.class, () -> app.buildIn(store, options()));

    assertEquals("bad", e.stage());
    assertEquals(3, e.exitCode());
    assertEquals(1, e.stepNumber());
    assertTrue(e.lastLines().contains("boom"), e.lastLines().toString());
    assertTrue(e.getMessage().contains("stage bad, step 1 (RUN echo boom; exit 3) failed with exit code 3"),
        e.getMessage());
    assertEquals(before, TestStores.snapshotOf(store));
    assertTrue(events.stream().anyMatch(ev -> ev instanceof BuildEvent.StepFinished f && f.stage().equals("bad")
        && f.index() == 1 && f.verdict() == Verdict.SKIPPED), events.toString());
    assertTrue(events.stream().anyMatch(ev -> ev instanceof BuildEvent.StageSkipped s && s.stage().equals("app")
        && s.reason().equals("not run: stage bad failed")), events.toString());
  }

  @Test
  void toDockerfile_buildOfThePrintedDockerfile_givesTheSameDigest() throws IOException {
    Files.writeString(context.resolve("app.sh"), "#!/bin/sh\necho app\n");
    Files.writeString(context.resolve("notes file.txt"), "spaces\n");
    Stage build = from("busybox").as("build")
        .arg("VERSION", "1.0")
        .shell("/bin/sh", "-c")
        .workdir("/src")
        .copy(chmod(0755), "app.sh", "./")
        .run("mkdir -p /out && cp app.sh /out/app && echo $VERSION > /out/version")
        .run(network("none"), "ls /out > /out/list")
        .runExec("/bin/touch", "/out/touched");
    Stage app = from("busybox")
        .copy(build, chown("1:1"), "/out/", "/app/")
        .copy("notes file.txt", "/notes.txt")
        .env("MODE", "two words")
        .label("org.example.title", "demo app")
        .expose(8080)
        .volume("/data")
        .stopSignal("SIGQUIT")
        .healthcheck("true")
        .workdir("/app")
        .user("1000")
        .entrypoint("/app/app")
        .cmd("--help");

    Image dsl = app.buildIn(store, options());
    String dockerfile = app.toDockerfile();
    DockerfileBuild translated = DockerfileBuild.of(DockerfileStages.parse(dockerfile), Map.of());
    BuildResult fromFile = new Builder(store).build(translated.stages(), translated.target(null), options());

    assertEquals(dsl.digest(), fromFile.manifestDescriptor().digest(), dockerfile);
    assertTrue(dockerfile.startsWith("FROM busybox:latest AS build\n"), dockerfile);
    assertTrue(dockerfile.contains("COPY --from=build --chown=1:1 /out/ /app/\n"), dockerfile);
    assertTrue(dockerfile.contains("COPY [\"notes file.txt\",\"/notes.txt\"]\n"), dockerfile);
  }
}
