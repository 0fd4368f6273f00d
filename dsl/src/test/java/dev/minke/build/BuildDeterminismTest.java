package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.OciValidator;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same stage gives the same bytes on any machine, in any store, at any time. */
class BuildDeterminismTest {
  @TempDir Path homeA;
  @TempDir Path homeB;
  @TempDir Path contextA;
  @TempDir Path contextB;

  private static Stage stage(Path context) {
    return from("busybox").workdir("/app").copy("src/", "./").env("MODE", "prod")
        .label("org.opencontainers.image.title", "demo").cmd("sh", "-c", "ls").context(context);
  }

  private static void writeContext(Path context, long mtimeMillis) throws IOException {
    Files.createDirectories(context.resolve("src/lib"));
    Files.writeString(context.resolve("src/Main.java"), "class Main {}\n");
    Files.writeString(context.resolve("src/lib/util.txt"), "util\n");
    try (var files = Files.walk(context)) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeMillis));
      }
    }
  }

  @Test
  void build_sameStageInTwoEmptyHomes_givesByteIdenticalManifests() throws IOException {
    writeContext(contextA, 1_000_000L);
    writeContext(contextB, Instant.now().toEpochMilli()); // Different mtimes must not matter.
    Store storeA = TestStores.withBusybox(homeA);
    Store storeB = TestStores.withBusybox(homeB);

    Image a = stage(contextA).buildIn(storeA, BuildOptions.defaults().withSourceDateEpoch(0));
    Image b = stage(contextB).buildIn(storeB, BuildOptions.defaults().withSourceDateEpoch(0));

    assertEquals(a.digest(), b.digest());
    assertArrayEquals(storeA.blobs().readAll(a.digest()), storeB.blobs().readAll(b.digest()));
    assertArrayEquals(storeA.blobs().readAll(a.id()), storeB.blobs().readAll(b.id()));
    assertEquals(a.manifest().layers(), b.manifest().layers());
    OciValidator.assertValid(OciValidator.Kind.MANIFEST, storeA.blobs().readAll(a.digest()));
    OciValidator.assertValid(OciValidator.Kind.CONFIG, storeA.blobs().readAll(a.id()));
    OciValidator.assertValid(OciValidator.Kind.INDEX, java.nio.file.Files.readAllBytes(homeA.resolve("index.json")));
    OciValidator.assertValid(OciValidator.Kind.LAYOUT, java.nio.file.Files.readAllBytes(homeA.resolve("oci-layout")));
  }

  @Test
  void build_configOnlyFromScratch_isAValidImageWithOneEmptyLayer() {
    Store store = Store.open(homeA);
    Image image = dev.minke.Minke.scratch().env("A", "1").cmd("/app")
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    assertEquals(1, image.manifest().layers().size());
    assertEquals(0, image.layer(0).diff().addedCount());
    OciValidator.assertValid(OciValidator.Kind.MANIFEST, store.blobs().readAll(image.digest()));
    OciValidator.assertValid(OciValidator.Kind.CONFIG, store.blobs().readAll(image.id()));
  }

  @Test
  void build_twiceInOneHome_givesTheSameDigest() throws IOException {
    writeContext(contextA, 5_000L);
    Store store = TestStores.withBusybox(homeA);
    Image first = stage(contextA).buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    Image second = stage(contextA).buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    assertEquals(first.digest(), second.digest());
  }

  @Test
  void build_otherSourceDateEpoch_changesLayerAndManifestDigests() throws IOException {
    writeContext(contextA, 5_000L);
    Store store = TestStores.withBusybox(homeA);
    Image epoch0 = stage(contextA).buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    Image later = stage(contextA).buildIn(store, BuildOptions.defaults().withSourceDateEpoch(1_700_000_000L));

    assertNotEquals(epoch0.digest(), later.digest());
    assertNotEquals(epoch0.manifest().layers().get(1).digest(), later.manifest().layers().get(1).digest());
    assertEquals("2023-11-14T22:13:20Z", later.config().created());
  }

  @Test
  void busyboxImage_inTwoHomes_hasTheSameDigest() {
    assertEquals(
        TestStores.withBusybox(homeA).require(BusyboxImage.NAME),
        TestStores.withBusybox(homeB).require(BusyboxImage.NAME));
  }
}
