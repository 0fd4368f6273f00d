package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.registry.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcTest {
  @TempDir Path home;

  private static Set<Digest> blobsOf(TestImages.TestImage image) {
    Set<Digest> digests = new HashSet<>();
    digests.add(image.manifestDescriptor().digest());
    digests.add(image.manifest().config().digest());
    image.manifest().layers().forEach(l -> digests.add(l.digest()));
    return digests;
  }

  @Test
  void gc_removesUnreferencedBlobs_keepsWhatImagesReach() {
    Store store = Store.open(home);
    TestImages.TestImage tagged = TestImages.write(store, "app:1", List.of(
        TestImages.fileLayer("a", "base"), TestImages.fileLayer("b", "top")));
    TestImages.TestImage untagged = TestImages.write(store, null, List.of(TestImages.fileLayer("c", "other")));
    Digest loose = store.blobs().write("loose".getBytes(StandardCharsets.UTF_8)).digest();
    GcReport report = store.gc();
    assertEquals(1, report.blobsRemoved());
    assertEquals(5, report.bytesFreed());
    assertFalse(store.blobs().has(loose));
    Set<Digest> expected = new HashSet<>(blobsOf(tagged));
    expected.addAll(blobsOf(untagged));
    assertEquals(expected, new HashSet<>(store.blobs().list()));
    assertTrue(store.fsck().ok());
  }

  @Test
  void gc_afterUntag_removesTheImagesBlobsButNotSharedOnes() {
    Store store = Store.open(home);
    TestImages.TestImage kept = TestImages.write(store, "kept:1", List.of(TestImages.fileLayer("a", "shared")));
    TestImages.TestImage gone = TestImages.write(store, "gone:1", List.of(
        TestImages.fileLayer("a", "shared"), TestImages.fileLayer("b", "own")));
    store.images().untag(Reference.parse("gone:1"));
    store.gc();
    assertEquals(blobsOf(kept), new HashSet<>(store.blobs().list()));
    assertTrue(store.blobs().has(gone.manifest().layers().get(0).digest()));
  }

  @Test
  void gc_removesSnapshotsOfChainsNoImageHas() {
    Store store = Store.open(home);
    TestImages.TestImage kept = TestImages.write(store, "kept:1", List.of(TestImages.fileLayer("a", "shared")));
    TestImages.TestImage gone = TestImages.write(store, "gone:1", List.of(
        TestImages.fileLayer("a", "shared"), TestImages.fileLayer("b", "own")));
    List<Path> keptDirs = store.snapshots().prepare(kept.manifest(), kept.config());
    List<Path> goneDirs = store.snapshots().prepare(gone.manifest(), gone.config());
    assertEquals(keptDirs.get(0), goneDirs.get(0));
    store.images().untag(Reference.parse("gone:1"));
    GcReport report = store.gc();
    assertEquals(1, report.snapshotsRemoved());
    assertEquals(kept.config().rootfs().chainIds(), store.snapshots().list());
    assertTrue(Files.isDirectory(keptDirs.get(0)));
    assertFalse(Files.exists(goneDirs.get(1).getParent()));
  }

  @Test
  void gc_removesLeftoverTempFiles() throws Exception {
    Store store = Store.open(home);
    Files.write(home.resolve("tmp/blob-123.tmp"), new byte[1000]);
    Files.createDirectories(home.resolve("tmp/import-9/etc"));
    Files.createDirectories(home.resolve("snapshots/unpack-77/fs/bin"));
    GcReport report = store.gc();
    assertEquals(3, report.scratchRemoved());
    assertEquals(List.of(), TestImages.tmpFiles(store));
    assertFalse(Files.exists(home.resolve("snapshots/unpack-77")));
  }

  @Test
  void gc_whileOperationOpen_waitsUntilItCloses() throws Exception {
    Store store = Store.open(home);
    CountDownLatch gcStarting = new CountDownLatch(1);
    CountDownLatch gcDone = new CountDownLatch(1);
    AtomicBoolean operationClosed = new AtomicBoolean();
    AtomicBoolean gcRanAfterClose = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Digest written;
      Future<GcReport> gc;
      try (Operation operation = store.operation()) {
        written = operation.write("made by a build".getBytes(StandardCharsets.UTF_8)).digest();
        gc = pool.submit(() -> {
          gcStarting.countDown();
          GcReport report = store.gc();
          gcRanAfterClose.set(operationClosed.get());
          gcDone.countDown();
          return report;
        });
        assertTrue(gcStarting.await(10, TimeUnit.SECONDS));
        assertFalse(gcDone.await(500, TimeUnit.MILLISECONDS), "gc ran while an operation was open");
        assertTrue(store.blobs().has(written));
        store.images().addUntagged(
            Descriptor.of(dev.minke.image.MediaType.OCI_CONFIG, written, 15)); // Now referenced.
        operation.commit();
        operationClosed.set(true);
      }
      assertTrue(gcDone.await(20, TimeUnit.SECONDS), "gc did not run after the operation closed");
      assertTrue(gcRanAfterClose.get());
      assertEquals(0, gc.get().blobsRemoved());
      assertTrue(store.blobs().has(written));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void gc_whileImagesAreTagged_breaksNoTagging() throws Exception {
    Store store = Store.open(home);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    AtomicBoolean stop = new AtomicBoolean();
    try {
      Future<?> gcs = pool.submit(() -> {
        while (!stop.get()) {
          store.gc();
        }
        return null;
      });
      Future<?> tags = pool.submit(() -> {
        for (int i = 0; i < 300; i++) {
          store.images().tag(Reference.parse("app:" + i),
              Descriptor.of(dev.minke.image.MediaType.OCI_MANIFEST, Digest.sha256("m" + i), 10));
        }
        return null;
      });
      try {
        tags.get(60, TimeUnit.SECONDS);
      } finally {
        stop.set(true);
        gcs.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(300, store.images().list().size());
  }

  @Test
  void gc_corruptManifest_keepsTheBlobsItNames() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = TestImages.write(store, "app:1", List.of(TestImages.fileLayer("a", "x")));
    TestImages.TestImage other = TestImages.write(store, "app:2", List.of(TestImages.fileLayer("b", "y")));
    // Damage one byte of a media type: the JSON still parses, but the blob fails its check.
    Path manifestFile = store.blobs().path(image.manifestDescriptor().digest());
    TestImages.setByte(manifestFile, Files.readString(manifestFile).indexOf("application"), 'A');
    store.gc();
    assertTrue(store.blobs().has(image.manifest().config().digest()), "gc deleted the config of a damaged image");
    assertTrue(store.blobs().has(image.manifest().layers().get(0).digest()));
    assertEquals(blobsOf(image).size() + blobsOf(other).size(), store.blobs().list().size());
  }
}
