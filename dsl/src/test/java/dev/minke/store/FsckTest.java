package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Digest;
import dev.minke.store.FsckReport.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
  @TempDir Path home;

  private static TestImages.TestImage twoLayers(Store store) {
    return TestImages.write(store, "app:1", List.of(
        List.of(dev.minke.image.LayerEntry.directory("etc"),
            dev.minke.image.LayerEntry.file("etc/hosts", "127.0.0.1 localhost\n".getBytes())),
        TestImages.fileLayer("etc/hostname", "box\n")));
  }

  private static boolean hasProblem(FsckReport report, Kind kind, Digest subject) {
    return report.problems().stream()
        .anyMatch(p -> p.kind() == kind && p.subject().equals(subject.toString()));
  }

  @Test
  void fsck_cleanStore_ok() {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    store.snapshots().prepare(image.manifest(), image.config());
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report.problems().toString());
    assertEquals(4, report.blobsChecked());
    assertEquals(2, report.snapshotsChecked());
    assertEquals(List.of(), report.notes());
  }

  @Test
  void fsck_emptyStore_ok() {
    assertTrue(Store.open(home).fsck().ok());
  }

  @Test
  void fsck_flippedByteInLayer_corruptBlob() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    Digest layer = image.manifest().layers().get(0).digest();
    TestImages.flipByte(store.blobs().path(layer), 20);
    FsckReport report = store.fsck();
    assertFalse(report.ok());
    assertTrue(hasProblem(report, Kind.CORRUPT_BLOB, layer), report.problems().toString());
  }

  @Test
  void fsck_flippedByteInConfig_corruptBlob() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    Digest config = image.manifest().config().digest();
    TestImages.flipByte(store.blobs().path(config), 3);
    FsckReport report = store.fsck();
    assertTrue(hasProblem(report, Kind.CORRUPT_BLOB, config), report.problems().toString());
  }

  @Test
  void fsck_flippedByteInManifest_corruptBlob() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    Digest manifest = image.manifestDescriptor().digest();
    TestImages.flipByte(store.blobs().path(manifest), 10);
    FsckReport report = store.fsck();
    assertTrue(hasProblem(report, Kind.CORRUPT_BLOB, manifest), report.problems().toString());
  }

  @Test
  void fsck_deletedLayerReferencedByIndex_missingBlob() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    Digest layer = image.manifest().layers().get(1).digest();
    Files.delete(store.blobs().path(layer));
    FsckReport report = store.fsck();
    assertTrue(hasProblem(report, Kind.MISSING_BLOB, layer), report.problems().toString());
  }

  @Test
  void fsck_deletedManifest_missingBlob() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    Files.delete(store.blobs().path(image.manifestDescriptor().digest()));
    FsckReport report = store.fsck();
    assertTrue(hasProblem(report, Kind.MISSING_BLOB, image.manifestDescriptor().digest()),
        report.problems().toString());
  }

  @Test
  void fsck_snapshotFsDirDeleted_missingSnapshot() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    List<Path> dirs = store.snapshots().prepare(image.manifest(), image.config());
    dev.minke.os.FileTrees.delete(dirs.get(1));
    FsckReport report = store.fsck();
    Digest top = image.config().rootfs().chainIds().get(1);
    assertTrue(hasProblem(report, Kind.MISSING_SNAPSHOT, top), report.problems().toString());
  }

  @Test
  void fsck_parentSnapshotDeleted_missingSnapshot() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    List<Path> dirs = store.snapshots().prepare(image.manifest(), image.config());
    dev.minke.os.FileTrees.delete(dirs.get(0).getParent());
    FsckReport report = store.fsck();
    Digest base = image.config().rootfs().chainIds().get(0);
    assertTrue(hasProblem(report, Kind.MISSING_SNAPSHOT, base), report.problems().toString());
    // Preparing again repairs it.
    store.snapshots().prepare(image.manifest(), image.config());
    assertTrue(store.fsck().ok());
  }

  @Test
  void fsck_fileMissingFromSnapshot_brokenSnapshot() throws Exception {
    Store store = Store.open(home);
    TestImages.TestImage image = twoLayers(store);
    List<Path> dirs = store.snapshots().prepare(image.manifest(), image.config());
    Files.delete(dirs.get(0).resolve("etc/hosts"));
    FsckReport report = store.fsck();
    assertTrue(hasProblem(report, Kind.BROKEN_SNAPSHOT, image.config().rootfs().chainIds().get(0)),
        report.problems().toString());
  }

  @Test
  void fsck_leftoverTempFiles_onlyNotes() throws Exception {
    Store store = Store.open(home);
    twoLayers(store);
    Files.write(home.resolve("tmp/blob-1.tmp"), new byte[100]);
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report.problems().toString());
    assertEquals(1, report.notes().size());
    assertTrue(report.notes().get(0).contains("blob-1.tmp"));
  }
}
