package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerDiffTest {
  private static final LayerListing BASE =
      new TestTar()
          .dir("etc")
          .file("etc/hosts", "127.0.0.1 localhost\n")
          .file("etc/motd", "hello\n")
          .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
          .dir("usr")
          .dir("usr/lib")
          .dir("usr/lib/app")
          .file("usr/lib/app/a.so", 1000, 'a')
          .file("usr/lib/app/b.so", 2000, 'b')
          .dir("usr/lib/app/plugins")
          .file("usr/lib/app/plugins/p.so", 300, 'p')
          .listing();

  private static LayerDiff diffOnBase(TestTar upper) {
    return LayerDiff.of(FileTree.empty().stack(BASE), upper.listing());
  }

  @Test
  void of_firstLayer_everythingAdded() {
    LayerDiff diff = LayerDiff.of(FileTree.empty(), BASE);

    assertEquals(BASE.entries().size(), diff.addedCount());
    assertEquals(0, diff.modifiedCount() + diff.deletedCount());
    assertEquals(BASE.sizeBytes(), diff.addedBytes());
  }

  @Test
  void of_newFile_added() {
    LayerDiff diff = diffOnBase(new TestTar().dir("etc").file("etc/new.conf", "k=v\n"));

    assertEquals(
        List.of(new FileChange("etc/new.conf", ChangeKind.ADDED, 4, 0, FileType.FILE)),
        diff.added());
    assertTrue(diff.modified().isEmpty(), "etc re-emitted with the same metadata");
  }

  @Test
  void of_changedContent_modifiedWithPreviousSize() {
    LayerDiff diff = diffOnBase(new TestTar().dir("etc").file("etc/motd", "welcome aboard\n"));

    assertEquals(
        List.of(new FileChange("etc/motd", ChangeKind.MODIFIED, 15, 6, FileType.FILE)),
        diff.modified());
    assertEquals(15, diff.modifiedBytes());
  }

  @Test
  void of_sameContentRewritten_notAChange() {
    LayerDiff diff = diffOnBase(new TestTar().dir("etc").file("etc/motd", "hello\n"));

    assertTrue(diff.isEmpty(), diff.toString());
  }

  @Test
  void of_sameContentNewMode_modified() {
    LayerDiff diff = diffOnBase(new TestTar().file("etc/motd", "hello\n", 0600));

    assertEquals(List.of("etc/motd"), paths(diff.modified()));
  }

  @Test
  void of_sameContentNewOwner_modified() {
    LayerDiff diff =
        diffOnBase(new TestTar().file("etc/motd", "hello\n".getBytes(), 0644, 1000, 0));

    assertEquals(List.of("etc/motd"), paths(diff.modified()));
  }

  @Test
  void of_symlinkRetargeted_modified() {
    LayerDiff diff = diffOnBase(new TestTar().symlink("etc/localtime", "/usr/share/zoneinfo/CET"));

    assertEquals(
        List.of(new FileChange("etc/localtime", ChangeKind.MODIFIED, 0, 0, FileType.SYMLINK)),
        diff.modified());
  }

  @Test
  void of_fileBecomesSymlink_modified() {
    LayerDiff diff = diffOnBase(new TestTar().symlink("etc/motd", "/etc/issue"));

    assertEquals(
        List.of(new FileChange("etc/motd", ChangeKind.MODIFIED, 0, 6, FileType.SYMLINK)),
        diff.modified());
  }

  @Test
  void of_parentDirectoriesReemittedUnchanged_notChanges() {
    LayerDiff diff =
        diffOnBase(
            new TestTar().dir("usr").dir("usr/lib").dir("usr/lib/app")
                .file("usr/lib/app/c.so", 10, 'c'));

    assertEquals(List.of("usr/lib/app/c.so"), paths(diff.added()));
    assertTrue(diff.modified().isEmpty());
  }

  @Test
  void of_directoryModeChanged_modified() {
    LayerDiff diff = diffOnBase(new TestTar().dir("usr/lib/app", 0700, 0, 0));

    assertEquals(
        List.of(new FileChange("usr/lib/app", ChangeKind.MODIFIED, 0, 0, FileType.DIRECTORY)),
        diff.modified());
  }

  @Test
  void of_whiteoutOfFile_deletedWithSizeBelow() {
    LayerDiff diff = diffOnBase(new TestTar().dir("etc").whiteout("etc/motd"));

    assertEquals(
        List.of(new FileChange("etc/motd", ChangeKind.DELETED, 6, 6, FileType.FILE)),
        diff.deleted());
    assertEquals(6, diff.deletedBytes());
  }

  @Test
  void of_whiteoutOfDirectory_deletesEveryEntryUnderIt() {
    LayerDiff diff = diffOnBase(new TestTar().dir("usr/lib").whiteout("usr/lib/app"));

    assertEquals(
        List.of(
            new FileChange("usr/lib/app", ChangeKind.DELETED, 0, 0, FileType.DIRECTORY),
            new FileChange("usr/lib/app/a.so", ChangeKind.DELETED, 1000, 1000, FileType.FILE),
            new FileChange("usr/lib/app/b.so", ChangeKind.DELETED, 2000, 2000, FileType.FILE),
            new FileChange("usr/lib/app/plugins", ChangeKind.DELETED, 0, 0, FileType.DIRECTORY),
            new FileChange(
                "usr/lib/app/plugins/p.so", ChangeKind.DELETED, 300, 300, FileType.FILE)),
        diff.deleted());
    assertEquals(5, diff.deletedCount());
    assertEquals(3300, diff.deletedBytes());
  }

  @Test
  void of_whiteoutOfMissingPath_nothingDeleted() {
    LayerDiff diff = diffOnBase(new TestTar().whiteout("etc/never-there"));

    assertTrue(diff.isEmpty());
  }

  @Test
  void of_opaqueDirectory_deletesLowerChildrenNotWrittenAgain() {
    LayerDiff diff =
        diffOnBase(
            new TestTar()
                .dir("usr/lib/app")
                .opaque("usr/lib/app")
                .file("usr/lib/app/a.so", 1000, 'a') // same content: unchanged
                .file("usr/lib/app/b.so", 50, 'B') // new content: modified
                .file("usr/lib/app/z.so", 7, 'z')); // new path: added

    assertEquals(List.of("usr/lib/app/z.so"), paths(diff.added()));
    assertEquals(List.of("usr/lib/app/b.so"), paths(diff.modified()));
    assertEquals(
        List.of("usr/lib/app/plugins", "usr/lib/app/plugins/p.so"), paths(diff.deleted()));
    assertEquals(300, diff.deletedBytes());
  }

  @Test
  void of_fileReplacesDirectory_directoryModifiedAndChildrenDeleted() {
    LayerDiff diff = diffOnBase(new TestTar().file("usr/lib/app/plugins", "flat"));

    assertEquals(
        List.of(new FileChange("usr/lib/app/plugins", ChangeKind.MODIFIED, 4, 0, FileType.FILE)),
        diff.modified());
    assertEquals(List.of("usr/lib/app/plugins/p.so"), paths(diff.deleted()));
  }

  @Test
  void of_listsSortedByPath() {
    LayerDiff diff =
        diffOnBase(
            new TestTar().file("zeta", "z").file("alpha", "a").dir("mid").file("mid/x", "x"));

    assertEquals(List.of("alpha", "mid", "mid/x", "zeta"), paths(diff.added()));
  }

  @Test
  void of_layerIndex_diffsAgainstUnionOfLowerLayers() {
    LayerListing second = new TestTar().whiteout("etc/motd").listing();
    LayerListing third = new TestTar().dir("etc").file("etc/motd", "back\n").listing();
    List<LayerListing> layers = List.of(BASE, second, third);

    LayerDiff diff = LayerDiff.of(layers, 2);

    assertEquals(List.of("etc/motd"), paths(diff.added()), "deleted by layer 1, so new again");
  }

  @Test
  void toString_countsAndAddedBytes() {
    LayerDiff diff =
        diffOnBase(
            new TestTar()
                .file("big", 1_200_000, 'x')
                .file("two", 1, 'x')
                .file("three", 1, 'y')
                .file("etc/motd", "hi\n")
                .whiteout("etc/hosts")
                .whiteout("etc/localtime"));

    assertEquals("LayerDiff[+3 ~1 -2, 1.2 MB added]", diff.toString());
  }

  private static List<String> paths(List<FileChange> changes) {
    return changes.stream().map(FileChange::path).toList();
  }
}
