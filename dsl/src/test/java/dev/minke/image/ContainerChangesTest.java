package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.image.ContainerChanges.Change;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerChangesTest {
  /** What {@code docker diff} prints for {@link OverlayFixture#changeMerged()}. */
  private static final List<String> DOCKER_DIFF = List.of(
      "C /app",
      "A /app/current",
      "C /app/keep.txt",
      "A /app/new-link.txt",
      "A /app/new.txt",
      "D /app/old.txt",
      "C /bin",
      "C /bin/tool",
      "C /data",
      "D /data/a",
      "A /data/fresh",
      "D /data/sub",
      "C /etc",
      "A /etc/hosts",
      "C /etc/passwd",
      "C /lib",
      "C /lib/big",
      "A /lib/big-link",
      "C /opt",
      "C /opt/x",
      "D /opt/x/y",
      "A /srv",
      "A /srv/www",
      "A /srv/www/index.html");

  @TempDir Path tmp;
  private OverlayFixture overlay;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(OverlayFixture.canMount(), "needs root and overlayfs");
    overlay = new OverlayFixture(tmp.resolve("ov"));
  }

  @AfterEach
  void unmountAll() throws IOException {
    if (overlay != null) {
      overlay.close(); // before @TempDir cleanup: never delete through a live mount
    }
  }

  @Test
  void of_lowerDirsOnDisk_listsChangesAsDockerDiff() throws IOException {
    overlay.runContainer();

    List<Change> changes = ContainerChanges.of(overlay.upper, overlay.lowers());

    assertEquals(DOCKER_DIFF, lines(changes));
  }

  @Test
  void of_lowerFileTreeFromLayerTars_agreesWithLowerDirs() throws IOException {
    overlay.runContainer();
    FileTree lowerTree = FileTree.of(List.of(listing(overlay.lowerBottom), listing(overlay.lowerTop)));

    List<Change> changes = ContainerChanges.of(overlay.upper, LowerLayers.of(lowerTree));

    assertEquals(DOCKER_DIFF, lines(changes));
  }

  @Test
  void of_recreatedDirUnderOpaque_hiddenLowerChildrenDeletedAtAnyDepth() throws IOException {
    overlay.writeLowers();
    overlay.mount();
    try {
      OverlayFixture.run("rm", "-rf", overlay.merged.resolve("data").toString());
      OverlayFixture.write(overlay.merged, "data/sub/c", "c\n", 0644);
    } finally {
      overlay.unmount();
    }

    List<Change> changes = ContainerChanges.of(overlay.upper, overlay.lowers());

    assertEquals(
        List.of("C /data", "D /data/a", "C /data/sub", "D /data/sub/b", "A /data/sub/c"),
        lines(changes));
  }

  @Test
  void of_noChanges_isEmpty() throws IOException {
    overlay.writeLowers();

    assertEquals(List.of(), ContainerChanges.of(overlay.upper, overlay.lowers()));
  }

  @Test
  void of_redirectDir_refused() throws IOException {
    overlay.writeLowers();
    overlay.mount("redirect_dir=on");
    try {
      Files.move(overlay.merged.resolve("app"), overlay.merged.resolve("app2"));
    } finally {
      overlay.unmount();
    }

    assertThrows(OverlayDiffUnsupportedException.class,
        () -> ContainerChanges.of(overlay.upper, overlay.lowers()));
  }

  @Test
  void change_toString_isADockerDiffLine() {
    assertEquals("A /app/x", new Change("app/x", ChangeKind.ADDED).toString());
    assertEquals("C /etc", new Change("etc", ChangeKind.MODIFIED).toString());
    assertEquals("D /tmp/y", new Change("tmp/y", ChangeKind.DELETED).toString());
  }

  private static List<String> lines(List<Change> changes) {
    List<String> lines = new ArrayList<>();
    changes.forEach(c -> lines.add(c.toString()));
    return lines;
  }

  /** The lower layer as an image would hold it: written to a tar and listed back. */
  private static LayerListing listing(Path overlayDir) throws IOException {
    List<LayerEntry> entries = OverlayUpperDir.entries(overlayDir, OverlayUpperOptions.defaults());
    LayerWriterOptions options =
        LayerWriterOptions.defaults().withCompression(MediaType.Compression.NONE);
    byte[] tar = TarTestSupport.write(entries, options).bytes();
    return LayerListing.read(new ByteArrayInputStream(tar));
  }
}
