package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.cache.CacheKeys;
import dev.minke.build.cache.MissReasons;
import dev.minke.dsl.Image;
import dev.minke.image.Digest;
import dev.minke.store.BuildCacheIndex.BaseRecord;
import dev.minke.store.CacheRecord;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache keys are functions of their inputs, and misses are explained; no container needed. */
class CacheVerdictTest {
  @TempDir Path home;
  @TempDir Path context;

  private static SortedMap<String, String> inputs(String... pairs) {
    SortedMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static final Digest ROOT = CacheKeys.root(Digest.sha256("manifest"), 0, "gzip");

  @Test
  void child_sameInputs_sameKey_anyChange_otherKey() {
    Digest key = CacheKeys.child(ROOT, "RUN", inputs("command", "make", "workdir", "/"));
    assertEquals(key, CacheKeys.child(ROOT, "RUN", inputs("workdir", "/", "command", "make")));
    assertNotEquals(key, CacheKeys.child(ROOT, "RUN", inputs("command", "make", "workdir", "/src")));
    assertNotEquals(key, CacheKeys.child(ROOT, "COPY", inputs("command", "make", "workdir", "/")));
    assertNotEquals(key, CacheKeys.child(CacheKeys.root(null, 0, "gzip"), "RUN",
        inputs("command", "make", "workdir", "/")));
    // Length-prefixed fields: moving bytes between name and value changes the key.
    assertNotEquals(CacheKeys.child(ROOT, "X", inputs("ab", "c")), CacheKeys.child(ROOT, "X", inputs("a", "bc")));
  }

  @Test
  void root_dependsOnBaseAndOptions() {
    assertNotEquals(ROOT, CacheKeys.root(Digest.sha256("other"), 0, "gzip"));
    assertNotEquals(ROOT, CacheKeys.root(Digest.sha256("manifest"), 1, "gzip"));
    assertNotEquals(ROOT, CacheKeys.root(Digest.sha256("manifest"), 0, "zstd"));
  }

  private static CacheRecord record(String kind, String text, SortedMap<String, String> inputs, long at) {
    return new CacheRecord(CacheKeys.child(ROOT, kind, inputs), ROOT, kind, text, inputs, null, null, null, at);
  }

  @Test
  void explain_picksClosestSiblingAndFirstTellingDifference() {
    CacheRecord old = record("RUN", "RUN make", inputs("text", "RUN make", "command", "make", "env:A", "1"), 1);
    CacheRecord other = record("RUN", "RUN ls", inputs("text", "RUN ls", "command", "ls", "env:A", "2"), 2);
    assertEquals(Optional.of("RUN: env A changed"), MissReasons.explain("RUN", "RUN",
        inputs("text", "RUN make", "command", "make", "env:A", "2"), List.of(old, other)));
    assertEquals(Optional.of("RUN: command changed"), MissReasons.explain("RUN", "RUN",
        inputs("text", "RUN make all", "command", "make all", "env:A", "1"), List.of(old)));
    assertEquals(Optional.empty(), MissReasons.explain("RUN", "RUN", inputs("command", "x"), List.of()));
  }

  @Test
  void explain_copy_namesTheFile() {
    CacheRecord old = record("COPY", "COPY src/ /app/", inputs("text", "COPY src/ /app/",
        "file:src/A.java", "sha256:" + "a".repeat(64) + " 0644 0:0", "file:src/B.java", "sha256:" + "b".repeat(64) + " 0644 0:0"), 1);
    SortedMap<String, String> now = inputs("text", "COPY src/ /app/",
        "file:src/A.java", "sha256:" + "c".repeat(64) + " 0644 0:0");
    assertEquals(Optional.of("COPY src/ /app/: src/A.java changed (sha256:cccccccccccc…)"),
        MissReasons.explain("COPY src/ /app/", "COPY", now, List.of(old)));
  }

  @Test
  void baseReason_namesNewDigestOrOption() {
    Digest before = Digest.sha256("one");
    Digest after = Digest.sha256("two");
    assertEquals("base image changed (busybox:latest now sha256:" + after.shortHex() + ")",
        MissReasons.baseReason(new BaseRecord("busybox:latest", after, 0, "gzip"),
            Optional.of(new BaseRecord("busybox:latest", before, 0, "gzip"))));
    assertEquals("not in the cache (first build of this step)",
        MissReasons.baseReason(new BaseRecord("busybox:latest", after, 0, "gzip"), Optional.empty()));
  }

  @Test
  void build_copyAndConfigOnly_cachedSecondTimeAndExplainedAfterAChange() throws IOException {
    Store store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("a.txt"), "a\n");
    var stage = from("busybox").workdir("/app").copy("a.txt", ".").label("k", "v").context(context);
    BuildOptions options = BuildOptions.defaults().withSourceDateEpoch(0);
    Image first = stage.buildIn(store, options);
    Image second = stage.buildIn(store, options);
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED, Verdict.CACHED),
        second.steps().stream().map(StepResult::verdict).toList());
    assertEquals(first.digest(), second.digest());
    Files.writeString(context.resolve("a.txt"), "b\n");
    Image third = stage.buildIn(store, options);
    assertEquals(List.of(Verdict.CACHED, Verdict.BUILT, Verdict.BUILT),
        third.steps().stream().map(StepResult::verdict).toList());
    assertTrue(third.steps().get(1).reason().startsWith("COPY a.txt .: a.txt changed (sha256:"),
        third.steps().get(1).reason());
    assertTrue(third.steps().get(1).layerSizeBytes() > 0);
  }

  @Test
  void cacheEntries_areGcRoots() throws IOException {
    Store store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("a.txt"), "a\n");
    Image image = from("busybox").copy("a.txt", "/a.txt").context(context)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    Digest layer = image.steps().get(0).layer().orElseThrow().digest();
    store.images().removeAll(image.digest());
    store.gc();
    assertTrue(store.blobs().has(layer), "the cached layer outlives its image");
    assertTrue(!store.blobs().has(image.digest()), "the image's manifest does not");
  }
}
