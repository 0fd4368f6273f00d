package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileTreeTest {

  @Test
  void stack_whiteout_removesPathAndEverythingUnderIt() {
    LayerListing base =
        new TestTar().dir("var").dir("var/cache").file("var/cache/a", "a").file("var/log", "l")
            .listing();
    LayerListing upper = new TestTar().whiteout("var/cache").listing();

    FileTree tree = FileTree.of(List.of(base, upper));

    assertEquals(Set.of("var", "var/log"), tree.entries().keySet());
  }

  @Test
  void stack_opaqueDirectory_hidesLowerChildrenButKeepsLayerOwn() {
    LayerListing base =
        new TestTar().dir("app").file("app/old", "o").file("app/kept", "k").listing();
    // The marker comes last in the tar but still applies first.
    LayerListing upper = new TestTar().dir("app").file("app/new", "n").opaque("app").listing();

    FileTree tree = FileTree.of(List.of(base, upper));

    assertEquals(Set.of("app", "app/new"), tree.entries().keySet());
  }

  @Test
  void stack_fileOverDirectory_hidesTheDirectoryContents() {
    LayerListing base = new TestTar().dir("x").file("x/inner", "i").listing();
    LayerListing upper = new TestTar().file("x", "now a file").listing();

    FileTree tree = FileTree.of(List.of(base, upper));

    assertEquals(Set.of("x"), tree.entries().keySet());
    assertEquals(FileType.FILE, tree.get("x").orElseThrow().type());
  }

  @Test
  void stack_directoryOverDirectory_replacesAttributesKeepsChildren() {
    LayerListing base = new TestTar().dir("d", 0755, 0, 0).file("d/f", "f").listing();
    LayerListing upper = new TestTar().dir("d", 0700, 1, 1).listing();

    FileTree tree = FileTree.of(List.of(base, upper));

    assertEquals(0700, tree.get("d").orElseThrow().mode());
    assertTrue(tree.get("d/f").isPresent());
  }

  @Test
  void stack_leavesOriginalTreeUnchanged() {
    FileTree base = FileTree.empty().stack(new TestTar().file("f", "f").listing());

    base.stack(new TestTar().whiteout("f").listing());

    assertTrue(base.get("f").isPresent());
  }

  @Test
  void descendants_excludesSiblingsThatShareAPrefix() {
    FileTree tree =
        FileTree.empty()
            .stack(
                new TestTar().dir("dir").file("dir/a", "").dir("dir/b").file("dir/b/c", "")
                    .file("dir-x", "").file("dir.d", "").file("dir0", "").file("dirz", "")
                    .listing());

    assertEquals(Set.of("dir/a", "dir/b", "dir/b/c"), tree.descendants("dir").keySet());
    assertEquals(8, tree.descendants("").size());
  }

  @Test
  void get_cleansThePath() {
    FileTree tree = FileTree.empty().stack(new TestTar().file("etc/hosts", "h").listing());

    assertTrue(tree.get("/etc/hosts").isPresent());
    assertTrue(tree.get("./etc//hosts").isPresent());
  }
}
