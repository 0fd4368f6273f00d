package dev.minke.build;

import static dev.minke.Minke.chown;
import static dev.minke.Minke.from;
import static dev.minke.Minke.scratch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.FileInfo;
import dev.minke.image.LayerListing;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COPY places files where Docker would, with Docker's ownership and modes. */
class CopyStepTest {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;

  @BeforeEach
  void setUp() throws IOException {
    store = TestStores.withBusybox(home);
    Files.createDirectories(context.resolve("src/sub"));
    Files.writeString(context.resolve("src/Main.java"), "class Main {}\n");
    Files.writeString(context.resolve("src/sub/a.txt"), "a\n");
    Files.writeString(context.resolve("README.md"), "# demo\n");
    Files.writeString(context.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(context.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
  }

  private LayerListing topLayer(Stage stage) {
    Image image = stage.context(context).buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    return TestStores.listing(store, image.manifest().layers().get(image.manifest().layers().size() - 1));
  }

  @Test
  void copy_directory_copiesItsContentsIntoTheDestination() {
    LayerListing layer = topLayer(from("busybox").copy("src/", "/app/"));
    assertTrue(layer.entries().containsKey("app/Main.java"));
    assertTrue(layer.entries().containsKey("app/sub/a.txt"));
    assertFalse(layer.entries().containsKey("app/src"));
  }

  @Test
  void copy_fileIntoDirectoryWithSlash_keepsItsName() {
    LayerListing layer = topLayer(from("busybox").copy("README.md", "/docs/"));
    assertTrue(layer.entries().containsKey("docs/README.md"));
  }

  @Test
  void copy_fileToPathWithoutSlash_renamesIt() {
    LayerListing layer = topLayer(from("busybox").copy("README.md", "/docs/index.md"));
    assertTrue(layer.entries().containsKey("docs/index.md"));
  }

  @Test
  void copy_relativeDestination_isTakenFromWorkdir() {
    LayerListing layer = topLayer(from("busybox").workdir("/srv").workdir("www").copy("README.md", "."));
    assertTrue(layer.entries().containsKey("srv/www/README.md"));
  }

  @Test
  void copy_wildcard_matchesFilesInTheContext() {
    LayerListing layer = topLayer(from("busybox").copy("*.md", "*.sh", "/x/"));
    assertTrue(layer.entries().containsKey("x/README.md"));
    assertTrue(layer.entries().containsKey("x/run.sh"));
  }

  @Test
  void copy_keepsSourceModeAndGivesRootOwnership() {
    FileInfo script = topLayer(from("busybox").copy("run.sh", "/bin/")).entries().get("bin/run.sh");
    assertEquals(0750, script.mode());
    assertEquals(0, script.uid());
    assertEquals(0, script.gid());
  }

  @Test
  void copy_chownByName_looksTheUserUpInTheImage() {
    FileInfo file = topLayer(from("busybox").copy(chown("www-data"), "README.md", "/srv/"))
        .entries().get("srv/README.md");
    assertEquals(33, file.uid());
    assertEquals(33, file.gid());
  }

  @Test
  void copy_chownAndChmodNumeric_applyToEveryFile() {
    LayerListing layer = topLayer(from("busybox").copy(chown("1000:2000").withChmod(0640), "src/", "/app/"));
    FileInfo file = layer.entries().get("app/sub/a.txt");
    assertEquals(1000, file.uid());
    assertEquals(2000, file.gid());
    assertEquals(0640, file.mode());
  }

  @Test
  void copy_intoExistingDirectory_keepsTheImagesModeOfIt() {
    FileInfo tmp = topLayer(from("busybox").copy("README.md", "/tmp/")).entries().get("tmp");
    assertEquals(01777, tmp.mode());
  }

  @Test
  void copy_dockerignore_excludesMatchingFiles() throws IOException {
    Files.writeString(context.resolve(".dockerignore"), "src/sub\n*.md\n");
    LayerListing layer = topLayer(from("busybox").copy(".", "/ctx/"));
    assertTrue(layer.entries().containsKey("ctx/src/Main.java"));
    assertFalse(layer.entries().containsKey("ctx/src/sub/a.txt"));
    assertFalse(layer.entries().containsKey("ctx/README.md"));
  }

  @Test
  void copy_fromScratch_makesAOneLayerImage() {
    Image image = scratch().copy("README.md", "/README.md").context(context)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    assertEquals(1, image.layers().size());
    assertEquals("COPY README.md /README.md", image.layer(0).createdBy());
  }
}
