package dev.minke.dsl;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BuildOptions;
import dev.minke.build.TestStores;
import dev.minke.image.ChangeKind;
import dev.minke.image.FileChange;
import dev.minke.image.LayerDiff;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an image value shows: one-line form, history, layers and their diffs, efficiency. */
class ImageTest {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;
  private Image image;

  @BeforeEach
  void setUp() throws IOException {
    store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("big.bin"), "x".repeat(5000));
    Files.writeString(context.resolve("note.txt"), "v1\n");
    Files.writeString(context.resolve("note2.txt"), "version two\n");
    image = from("busybox").workdir("/app").copy("big.bin", "note.txt", "./").env("A", "1")
        .copy("note2.txt", "/app/note.txt").context(context)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  @Test
  void toString_isOneShortLine() {
    String line = image.tag("demo:1").toString();
    assertTrue(line.matches("Image\\[demo:1 3 layers [0-9.]+ [kM]B sha256:[0-9a-f]{12}…\\]"), line);
  }

  @Test
  void history_listsNewestStepFirst_withEmptyLayersForConfigSteps() {
    List<HistoryRow> history = image.history();
    assertEquals("COPY note2.txt /app/note.txt", history.get(0).createdBy());
    assertEquals("ENV A=1", history.get(1).createdBy());
    assertTrue(history.get(1).emptyLayer());
    assertEquals("ADD busybox-static", history.get(history.size() - 1).createdBy().substring(0, 18));
    assertEquals(6, history.size());
  }

  @Test
  void layerDiff_showsAddedAndModifiedPathsWithSizes() {
    LayerDiff copy = image.layer(1).diff();
    assertTrue(copy.added().stream().anyMatch(c -> c.path().equals("app/big.bin") && c.sizeBytes() == 5000));
    LayerDiff overwrite = image.layer(2).diff();
    FileChange note = overwrite.modified().get(0);
    assertEquals("app/note.txt", note.path());
    assertEquals(ChangeKind.MODIFIED, note.kind());
    assertEquals(12, note.sizeBytes());
    assertEquals(3, note.previousSizeBytes());
  }

  @Test
  void efficiency_countsTheOverwrittenFileAsWasted() {
    assertEquals(15, image.efficiency().wastedBytes());
    assertTrue(image.efficiency().score() < 1.0);
  }

  @Test
  void layer_outOfRange_saysWhichLayersExist() {
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> image.layer(3));
    assertTrue(e.getMessage().contains("layers 0 to 2"), e.getMessage());
  }

  @Test
  void layers_carryDiffIdsAndChainIds() {
    Layer bottom = image.layer(0);
    Layer top = image.layer(2);
    assertEquals(bottom.diffId(), bottom.chainId());
    assertEquals(image.config().rootfs().chainIds().get(2), top.chainId());
  }

  @Test
  void textTables_renderTheImageAndItsHistory() {
    String table = Texts.imageTables(image);
    assertTrue(table.contains("COPY big.bin note.txt ./"), table);
    assertTrue(table.contains("+1 ~1 -0") || table.contains("~1"), table);
    assertTrue(Texts.historyTable(image.history()).startsWith("LAYER"), table);
  }

  @Test
  void lookup_byTagAndByDigest_findTheSameImage() {
    image.tag("localhost:5000/me/demo:2");
    Image byTag = Image.lookup(store, dev.minke.registry.Reference.parse("localhost:5000/me/demo:2"));
    Image byDigest = Image.lookup(store, dev.minke.registry.Reference.parse("localhost:5000/me/demo@" + image.digest()));
    assertEquals(image.digest(), byTag.digest());
    assertEquals(image.digest(), byDigest.digest());
  }
}
