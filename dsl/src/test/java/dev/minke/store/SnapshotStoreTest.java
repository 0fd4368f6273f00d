package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Digest;
import dev.minke.image.LayerEntry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  @TempDir Path home;

  private static List<LayerEntry> base() {
    return List.of(LayerEntry.directory("etc"),
        LayerEntry.file("etc/motd", "hello\n".getBytes()),
        LayerEntry.file("etc/old", "to be deleted\n".getBytes()));
  }

  private static Object attr(Path path, String name) throws Exception {
    return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void prepare_unpacksEachLayerInOverlayForm() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = TestImages.write(store, "app:1", List.of(base(),
        List.of(LayerEntry.directory("etc"), LayerEntry.whiteout("etc/old"),
            LayerEntry.file("etc/new", "new\n".getBytes()))));
    List<Path> dirs = store.snapshots().prepare(image.manifest(), image.config());
    List<Digest> chainIds = image.config().rootfs().chainIds();
    assertEquals(2, dirs.size());
    for (int i = 0; i < 2; i++) {
      assertEquals(home.resolve("snapshots").resolve(chainIds.get(i).hex()).resolve("fs"), dirs.get(i));
      assertTrue(store.snapshots().has(chainIds.get(i)));
    }
    assertEquals("hello\n", Files.readString(dirs.get(0).resolve("etc/motd")));
    assertTrue(Files.exists(dirs.get(0).resolve("etc/old")));
    Path whiteout = dirs.get(1).resolve("etc/old");
    int mode = (Integer) attr(whiteout, "mode");
    assertEquals(S_IFCHR, mode & S_IFMT, "a whiteout is a character device");
    assertEquals(0L, ((Number) attr(whiteout, "rdev")).longValue(), "a whiteout is device 0/0");
    assertEquals("new\n", Files.readString(dirs.get(1).resolve("etc/new")));
    assertFalse(Files.exists(dirs.get(1).resolve("etc/motd")), "an upper layer holds only its own files");
    SnapshotStore.SnapshotInfo top = store.snapshots().info(chainIds.get(1));
    assertEquals(chainIds.get(0), top.parent());
    assertEquals(image.manifest().layers().get(1).digest(), top.layerDigest());
    assertTrue(store.fsck().ok(), store.fsck().problems().toString());
  }

  @Test
  void prepare_twoImagesSharingBase_shareTheSnapshot() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage one = TestImages.write(store, "one:1", List.of(base(), TestImages.fileLayer("one", "1")));
    TestImages.TestImage two = TestImages.write(store, "two:1", List.of(base(), TestImages.fileLayer("two", "2")));
    List<Path> oneDirs = store.snapshots().prepare(one.manifest(), one.config());
    Object inode = attr(oneDirs.get(0), "ino");
    Object motdInode = attr(oneDirs.get(0).resolve("etc/motd"), "ino");
    List<Path> twoDirs = store.snapshots().prepare(two.manifest(), two.config());
    assertEquals(oneDirs.get(0), twoDirs.get(0));
    assertEquals(inode, attr(twoDirs.get(0), "ino"), "the shared base was unpacked again");
    assertEquals(motdInode, attr(twoDirs.get(0).resolve("etc/motd"), "ino"));
    assertFalse(oneDirs.get(1).equals(twoDirs.get(1)));
    assertEquals(3, store.snapshots().list().size());
  }

  @Test
  void prepare_secondTime_isNoOp() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = TestImages.write(store, "app:1", List.of(base()));
    List<Path> first = store.snapshots().prepare(image.manifest(), image.config());
    Object inode = attr(first.get(0).resolve("etc/motd"), "ino");
    Object mtime = Files.getLastModifiedTime(first.get(0).getParent());
    List<Path> second = store.snapshots().prepare(image.manifest(), image.config());
    assertEquals(first, second);
    assertEquals(inode, attr(second.get(0).resolve("etc/motd"), "ino"));
    assertEquals(mtime, Files.getLastModifiedTime(second.get(0).getParent()));
    try (var entries = Files.list(home.resolve("snapshots"))) {
      assertEquals(1, entries.count(), "no scratch directory left");
    }
  }

  @Test
  void prepare_corruptLayer_leavesNoSnapshot() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = TestImages.write(store, "app:1", List.of(base()));
    Path layer = store.blobs().path(image.manifest().layers().get(0).digest());
    TestImages.flipByte(layer, Files.size(layer) - 3); // The gzip trailer: files unpack, the digest fails.
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> store.snapshots().prepare(image.manifest(), image.config()));
    assertEquals(List.of(), store.snapshots().list());
    try (var entries = Files.list(home.resolve("snapshots"))) {
      assertEquals(0, entries.count());
    }
  }

  @Test
  void prepare_fromManyThreadsAtOnce_allGetTheSnapshot() throws Exception {
    Store store = Store.open(home);
    List<LayerEntry> big = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      big.add(LayerEntry.file("f" + i, ("file " + i).repeat(50).getBytes()));
    }
    TestImages.TestImage image = TestImages.write(store, "app:1", List.of(big, base()));
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 5; round++) {
        for (Digest chainId : store.snapshots().list()) {
          store.snapshots().delete(chainId);
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<List<Path>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return store.snapshots().prepare(image.manifest(), image.config());
          }));
        }
        for (Future<List<Path>> result : results) {
          List<Path> dirs = result.get(60, TimeUnit.SECONDS);
          assertTrue(Files.isRegularFile(dirs.get(0).resolve("f299")));
        }
        assertTrue(store.fsck().ok(), store.fsck().problems().toString());
        try (var entries = Files.list(home.resolve("snapshots"))) {
          assertEquals(2, entries.count(), "no scratch directory left");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
