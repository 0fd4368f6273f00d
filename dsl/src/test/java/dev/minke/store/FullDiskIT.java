package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.registry.Reference;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a 2 MB tmpfs: a write that does not fit fails cleanly and says why. */
class FullDiskIT {
  @TempDir Path dir;
  private Path mountPoint;
  private boolean mounted;

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @BeforeEach
  void mountTmpfs() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount");
    mountPoint = Files.createDirectory(dir.resolve("mnt"));
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString()) == 0,
        "mount -t tmpfs failed");
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      // Always unmount, so @TempDir cleanup never walks into (or empties) a mounted directory.
      assertEquals(0, run("umount", mountPoint.toString()), "umount " + mountPoint);
      mounted = false;
    }
  }

  @Test
  void write_blobLargerThanDisk_failsCleanlyWithDiskFullHint() throws Exception {
    Store store = Store.open(mountPoint.resolve("store"));
    store.images().tag(Reference.parse("small:1"), TestImages.write(store, null,
        List.of(TestImages.fileLayer("a", "small"))).manifestDescriptor());
    byte[] indexBefore = Files.readAllBytes(store.home().resolve("index.json"));
    List<dev.minke.image.Digest> blobsBefore = store.blobs().list();

    byte[] big = BlobStoreTest.randomBytes(4 << 20, 9);
    StoreIOException e = assertThrows(StoreIOException.class, () -> store.blobs().write(big));
    assertDiskFull(e);
    e = assertThrows(StoreIOException.class, () -> store.blobs().write(new ByteArrayInputStream(big)));
    assertDiskFull(e);
    try (Operation operation = store.operation()) {
      e = assertThrows(StoreIOException.class, () -> operation.write(big));
      assertDiskFull(e);
    }

    assertEquals(List.of(), TestImages.tmpFiles(store));
    assertEquals(blobsBefore, store.blobs().list());
    assertArrayEquals(indexBefore, Files.readAllBytes(store.home().resolve("index.json")));
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report.problems().toString());
    assertEquals(List.of(), report.notes());
    // Space is back: a small write works again.
    store.blobs().write("fits".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tag_onFullDisk_failsCleanlyAndKeepsIndex() throws Exception {
    Store store = Store.open(mountPoint.resolve("store"));
    TestImages.TestImage image = TestImages.write(store, "first:1", List.of(TestImages.fileLayer("a", "x")));
    byte[] indexBefore = Files.readAllBytes(store.home().resolve("index.json"));
    // Fill the disk with a file outside the store.
    Path filler = mountPoint.resolve("filler");
    try (var out = Files.newOutputStream(filler)) {
      byte[] chunk = new byte[4096];
      while (true) {
        out.write(chunk);
      }
    } catch (java.io.IOException full) {
      // The disk is full now.
    }
    try {
      StoreIOException e = null;
      for (int i = 0; i < 200 && e == null; i++) { // Enough names to outgrow the free bytes left.
        try {
          store.images().tag(Reference.parse("more:" + i), image.manifestDescriptor());
        } catch (StoreIOException failed) {
          e = failed;
        }
      }
      assertTrue(e != null, "tagging never failed on a full disk");
      assertDiskFull(e);
      assertEquals(List.of(), TestImages.tmpFiles(store));
      dev.minke.image.Json.read(Files.readAllBytes(store.home().resolve("index.json")), dev.minke.image.Index.class);
      assertTrue(store.images().resolve(Reference.parse("first:1")).isPresent());
    } finally {
      Files.delete(filler);
    }
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report.problems().toString());
    assertTrue(indexBefore.length > 0);
  }

  private static void assertDiskFull(StoreIOException e) {
    String text = e.getMessage() + " / " + e.hint();
    assertTrue(e.getMessage().contains("No space left"), text);
    assertTrue(e.hint().contains("free disk space"), text);
  }
}
