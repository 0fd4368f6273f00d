package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Json;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIndexTest {
  @TempDir Path home;

  private static Descriptor manifest(String seed) {
    return Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(seed), 100 + seed.length());
  }

  @Test
  void tag_thenResolve_findsManifestByFullName() {
    Store store = Store.open(home);
    Descriptor a = manifest("a");
    store.images().tag(Reference.parse("busybox"), a);
    assertEquals(Optional.of(a.digest()),
        store.images().resolve(Reference.parse("docker.io/library/busybox:latest")).map(Descriptor::digest));
    assertEquals(a.digest(), store.require(Reference.parse("busybox:latest")).digest());
    assertEquals(Optional.of(a.digest()),
        store.images().resolve(Reference.parse("busybox@" + a.digest())).map(Descriptor::digest));
  }

  @Test
  void tag_existingName_movesIt() {
    Store store = Store.open(home);
    store.images().tag(Reference.parse("app:1"), manifest("a"));
    store.images().tag(Reference.parse("app:1"), manifest("b"));
    List<StoredImage> images = store.images().list();
    assertEquals(1, images.size());
    assertEquals(manifest("b").digest(), images.get(0).manifest().digest());
  }

  @Test
  void tag_untaggedImage_replacesUntaggedEntry() {
    Store store = Store.open(home);
    store.images().addUntagged(manifest("a"));
    store.images().addUntagged(manifest("a"));
    assertEquals(1, store.images().list().size());
    assertTrue(store.images().list().get(0).reference().isEmpty());
    store.images().tag(Reference.parse("app:1"), manifest("a"));
    assertEquals(1, store.images().list().size());
    assertEquals("docker.io/library/app:1", store.images().list().get(0).reference().orElseThrow().toString());
    store.images().addUntagged(manifest("a")); // Already held, under a name.
    assertEquals(1, store.images().list().size());
  }

  @Test
  void untag_removesOnlyThatName() {
    Store store = Store.open(home);
    store.images().tag(Reference.parse("app:1"), manifest("a"));
    store.images().tag(Reference.parse("app:2"), manifest("a"));
    assertEquals(Optional.of(manifest("a").digest()),
        store.images().untag(Reference.parse("app:1")).map(Descriptor::digest));
    assertEquals(Optional.empty(), store.images().untag(Reference.parse("app:1")));
    assertEquals(List.of(manifest("a").digest()), store.images().digests());
    assertTrue(store.images().resolve(Reference.parse("app:2")).isPresent());
  }

  @Test
  void removeAll_dropsTaggedAndUntaggedEntriesOfDigest() {
    Store store = Store.open(home);
    store.images().tag(Reference.parse("app:1"), manifest("a"));
    store.images().tag(Reference.parse("app:2"), manifest("a"));
    store.images().addUntagged(manifest("b"));
    store.images().removeAll(manifest("a").digest());
    assertEquals(List.of(manifest("b").digest()), store.images().digests());
  }

  @Test
  void indexJson_isOciIndexWithFullRefNames() throws Exception {
    Store store = Store.open(home);
    store.images().tag(Reference.parse("busybox"), manifest("a"));
    store.images().tag(Reference.parse("localhost:5000/me/hello:1.0"), manifest("b"));
    store.images().addUntagged(manifest("c"));
    JsonNode index = Json.mapper().readTree(Files.readAllBytes(home.resolve("index.json")));
    assertEquals(2, index.get("schemaVersion").asInt());
    assertEquals(MediaType.OCI_INDEX, index.get("mediaType").asText());
    assertEquals(3, index.get("manifests").size());
    List<String> names = new ArrayList<>();
    for (JsonNode entry : index.get("manifests")) {
      assertEquals(MediaType.OCI_MANIFEST, entry.get("mediaType").asText());
      assertTrue(entry.get("digest").asText().matches("sha256:[0-9a-f]{64}"), entry.toString());
      assertTrue(entry.get("size").asLong() > 0);
      names.add(entry.path("annotations").path(ImageIndex.REF_NAME).asText(null));
    }
    assertEquals(java.util.Arrays.asList(
        "docker.io/library/busybox:latest", "localhost:5000/me/hello:1.0", null), names);
    JsonNode layout = Json.mapper().readTree(Files.readAllBytes(home.resolve("oci-layout")));
    assertEquals("1.0.0", layout.get("imageLayoutVersion").asText());
  }

  @Test
  void indexJson_entriesSortedWhateverTheOrderOfTagging() throws Exception {
    Path other = Files.createDirectory(home.resolve("other"));
    Store first = Store.open(Files.createDirectory(home.resolve("first")));
    Store second = Store.open(other);
    List<String> names = List.of("zeta:1", "alpha:2", "alpha:1", "quay.io/x/y:3");
    for (String name : names) {
      first.images().tag(Reference.parse(name), manifest(name));
    }
    first.images().addUntagged(manifest("u2"));
    first.images().addUntagged(manifest("u1"));
    second.images().addUntagged(manifest("u1"));
    for (int i = names.size() - 1; i >= 0; i--) {
      second.images().tag(Reference.parse(names.get(i)), manifest(names.get(i)));
    }
    second.images().addUntagged(manifest("u2"));
    byte[] firstBytes = Files.readAllBytes(first.home().resolve("index.json"));
    assertEquals(new String(firstBytes), new String(Files.readAllBytes(other.resolve("index.json"))));
    List<String> listed = first.images().list().stream()
        .map(i -> i.reference().map(Reference::toString).orElse("-")).toList();
    assertEquals(List.of("docker.io/library/alpha:1", "docker.io/library/alpha:2",
        "docker.io/library/zeta:1", "quay.io/x/y:3", "-", "-"), listed);
  }

  @Test
  void tag_fromEightThreadsAtOnce_losesNoTag() throws Exception {
    Store store = Store.open(home);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          store.images().tag(Reference.parse("app" + thread + ":" + i), manifest(thread + "/" + i));
        }
        return null;
      }));
    }
    start.countDown();
    try {
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * perThread, store.images().list().size());
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertEquals(Optional.of(manifest(t + "/" + i).digest()),
            store.images().resolve(Reference.parse("app" + t + ":" + i)).map(Descriptor::digest));
      }
    }
    assertFalse(Files.list(home.resolve("tmp")).findAny().isPresent());
  }

  @Test
  void tag_fromTwoStoreObjectsOnOneHome_losesNoTag() throws Exception {
    // Two Store values on one directory in one JVM (the CLI and the DSL may each open one).
    Store a = Store.open(home);
    Store b = Store.open(home);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> fa = pool.submit(() -> {
        for (int i = 0; i < 30; i++) {
          a.images().tag(Reference.parse("a:" + i), manifest("a" + i));
        }
      });
      Future<?> fb = pool.submit(() -> {
        for (int i = 0; i < 30; i++) {
          b.images().tag(Reference.parse("b:" + i), manifest("b" + i));
        }
      });
      fa.get(60, TimeUnit.SECONDS);
      fb.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(60, a.images().list().size());
  }
}
