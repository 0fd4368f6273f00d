package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.Descriptor;
import dev.minke.image.LayerListing;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUN --mount=type=cache: a store directory kept across builds, never in a layer or a cache key. */
class RunMountCacheIT {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;

  @BeforeEach
  void setUp() {
    store = TestStores.withBusybox(home);
  }

  private Image build(Stage stage, boolean noCache) {
    return stage.context(context).buildIn(store,
        BuildOptions.defaults().withSourceDateEpoch(0).withNoCache(noCache));
  }

  private static Descriptor last(Image image) {
    List<Descriptor> layers = image.manifest().layers();
    return layers.get(layers.size() - 1);
  }

  @Test
  void cacheMount_secondNoCacheBuild_seesThePreviousContent_andTheLayerHasNone() throws IOException {
    Stage stage = from("busybox").run(RunFlags.defaults().withCacheMount("/cache"),
        "echo run >> /cache/count && wc -l < /cache/count > /runs");
    Image first = build(stage, false);
    assertEquals("1\n", RunStepIT.fileText(store, last(first), "runs"));
    Image second = build(stage, true);
    assertEquals(Verdict.BUILT, second.steps().get(0).verdict());
    assertEquals("2\n", RunStepIT.fileText(store, last(second), "runs"));

    LayerListing layer = TestStores.listing(store, last(second));
    assertFalse(layer.entries().containsKey("cache/count"), layer.toString());
    assertTrue(layer.entries().keySet().stream().allMatch(p -> p.equals("runs") || p.equals("cache")),
        layer.toString());
    assertEquals("RUN --mount=type=cache,target=/cache echo run >> /cache/count && wc -l < /cache/count > /runs",
        second.steps().get(0).createdBy());
    Path dir = home.resolve(RunMounts.CACHE_MOUNTS).resolve(RunMounts.dirName(new RunMount.Cache("/cache", null, null)));
    assertEquals("run\nrun\n", Files.readString(dir.resolve("count")));
  }

  @Test
  void cacheMount_contentIsNotInTheKey_butTheSpecIs() throws IOException {
    Stage stage = from("busybox").run(RunFlags.defaults().withCacheMount("/cache"), "date +%N >> /cache/log; true");
    build(stage, false);
    Image again = build(stage, false);
    assertEquals(Verdict.CACHED, again.steps().get(0).verdict(), "the mount's content changed, the key did not");
    Image otherId = build(from("busybox").run(RunFlags.defaults().withCacheMount("/cache", "other", "locked"),
        "date +%N >> /cache/log; true"), false);
    assertEquals(Verdict.BUILT, otherId.steps().get(0).verdict(), "id and sharing are part of the key");
    assertTrue(Files.isRegularFile(home.resolve(RunMounts.CACHE_MOUNTS).resolve("other").resolve("log")));
  }

  @Test
  void cacheMount_private_busyDirectory_givesAFreshOne() throws IOException {
    RunMount.Cache cache = new RunMount.Cache("/cache", "p", "private");
    Path scratch = home.resolve("scratch");
    RunInput one = new RunInput("RUN x", "x", null, List.of("x"), Map.of(), new java.util.TreeMap<>(), "/", "",
        "default", List.of(cache));
    try (RunMounts first = RunMounts.prepare(home, scratch.resolve("a"), one, BuildOptions.defaults());
        RunMounts second = RunMounts.prepare(home, scratch.resolve("b"), one, BuildOptions.defaults())) {
      String a = first.specMounts().get(0).source();
      String b = second.specMounts().get(0).source();
      assertEquals(home.resolve(RunMounts.CACHE_MOUNTS).resolve("p").toString(), a);
      assertNotEquals(a, b);
      assertTrue(b.startsWith(scratch.resolve("b").toString()), b);
    }
  }

  @Test
  void dockerfile_cacheMount_isParsedAndUsed() throws IOException {
    String dockerfile = """
        FROM busybox
        RUN --mount=type=cache,target=/var/cache/app,id=app-cache,sharing=locked echo x >> /var/cache/app/n && cat /var/cache/app/n > /seen
        """;
    for (int i = 1; i <= 2; i++) {
      DockerfileBuild translated = DockerfileBuild.of(DockerfileStages.parse(dockerfile), Map.of());
      BuildResult result = new Builder(store).build(translated.stages(), translated.target(null),
          BuildOptions.defaults().withSourceDateEpoch(0).withNoCache(true).withContextDir(context));
      List<Descriptor> layers = result.manifest().layers();
      assertEquals("x\n".repeat(i), RunStepIT.fileText(store, layers.get(layers.size() - 1), "seen"));
      assertEquals("RUN --mount=type=cache,target=/var/cache/app,id=app-cache,sharing=locked echo x >> /var/cache/app/n"
          + " && cat /var/cache/app/n > /seen", result.steps().get(0).createdBy());
    }
  }
}
