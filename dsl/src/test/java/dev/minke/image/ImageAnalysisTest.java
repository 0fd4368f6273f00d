package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageAnalysisTest {
  /*
   * Layer 0: etc/ (0755), etc/hosts 20 B, bin/ , bin/sh -> busybox (symlink)
   * Layer 1: app/ , app/data 300 B
   * Layer 2: app/ , app/data 500 B (rewritten), etc/ , etc/.wh.hosts
   * app/data: [300, 500] -> cumulative 800, minimum 300, count 2
   * etc/hosts: [20] in layer 0, then a file whiteout counted 0 -> cumulative 20, minimum 0
   * bin/sh: [0]
   * score = (300 + 0 + 0) / (800 + 20 + 0) = 300/820; wasted = 800 + 20 = 820
   */
  private static final List<LayerListing> LAYERS =
      List.of(
          new TestTar()
              .dir("etc")
              .file("etc/hosts", 20, 'h')
              .dir("bin")
              .symlink("bin/sh", "busybox")
              .listing(),
          new TestTar().dir("app").file("app/data", 300, 'a').listing(),
          new TestTar().dir("app").file("app/data", 500, 'b').dir("etc").whiteout("etc/hosts")
              .listing());

  private static final List<DiveExport.LayerMeta> METAS =
      List.of(
          new DiveExport.LayerMeta("l0", "sha256:aaa", "ADD rootfs.tar /"),
          new DiveExport.LayerMeta("l1", "sha256:bbb", "COPY data /app/data"),
          new DiveExport.LayerMeta("l2", "sha256:ccc", "RUN rm /etc/hosts"));

  @Test
  void of_threeLayers_diffPerLayerAndTotals() {
    ImageAnalysis analysis = ImageAnalysis.of(LAYERS);

    assertEquals(3, analysis.layerDiffs().size());
    assertEquals("LayerDiff[+4 ~0 -0, 20 B added]", analysis.layerDiffs().get(0).toString());
    assertEquals("LayerDiff[+2 ~0 -0, 300 B added]", analysis.layerDiffs().get(1).toString());
    assertEquals("LayerDiff[+0 ~1 -1, 0 B added]", analysis.layerDiffs().get(2).toString());
    assertEquals(820, analysis.sizeBytes());
    assertEquals(800, analysis.userSizeBytes());
    assertEquals(300.0 / 820.0, analysis.efficiency().score(), 1e-12);
    assertEquals(820, analysis.efficiency().wastedBytes());
  }

  @Test
  void of_sameEfficiencyAndDiffsAsSeparateCalls() {
    ImageAnalysis analysis = ImageAnalysis.of(LAYERS);

    assertEquals(Efficiency.of(LAYERS), analysis.efficiency());
    List<LayerDiff> separately = new ArrayList<>();
    for (int i = 0; i < LAYERS.size(); i++) {
      separately.add(LayerDiff.of(LAYERS, i));
    }
    assertEquals(separately, analysis.layerDiffs());
  }

  @Test
  void toDiveExport_serializesToDiveJsonShape() {
    DiveExport export = ImageAnalysis.of(LAYERS).toDiveExport(METAS);

    JsonNode json = Json.mapper().valueToTree(export);

    assertEquals(List.of("layer", "image"), fieldNames(json));
    JsonNode layer1 = json.get("layer").get(1);
    assertEquals(
        List.of("index", "id", "digestId", "sizeBytes", "command", "fileList"),
        fieldNames(layer1));
    assertEquals(1, layer1.get("index").asInt());
    assertEquals("l1", layer1.get("id").asText());
    assertEquals("sha256:bbb", layer1.get("digestId").asText());
    assertEquals(300, layer1.get("sizeBytes").asLong());
    assertEquals("COPY data /app/data", layer1.get("command").asText());
    JsonNode image = json.get("image");
    assertEquals(
        List.of("sizeBytes", "inefficientBytes", "efficiencyScore", "fileReference"),
        fieldNames(image));
    assertEquals(820, image.get("sizeBytes").asLong());
    assertEquals(820, image.get("inefficientBytes").asLong());
    assertEquals(300.0 / 820.0, image.get("efficiencyScore").asDouble(), 1e-12);
    JsonNode firstReference = image.get("fileReference").get(0);
    assertEquals(List.of("count", "sizeBytes", "file"), fieldNames(firstReference));
    assertEquals("/app/data", firstReference.get("file").asText());
    assertEquals(2, firstReference.get("count").asInt());
    assertEquals(800, firstReference.get("sizeBytes").asLong());
  }

  @Test
  void toDiveExport_fileListLikeDiveFileInfo() {
    DiveExport export = ImageAnalysis.of(LAYERS).toDiveExport(METAS);

    JsonNode fileList = Json.mapper().valueToTree(export).get("layer").get(0).get("fileList");

    // Children before their parent, by name, as dive walks its tree.
    List<String> paths = new ArrayList<>();
    fileList.forEach(file -> paths.add(file.get("path").asText()));
    assertEquals(List.of("bin/sh", "bin", "etc/hosts", "etc"), paths);
    JsonNode etc = fileList.get(3);
    assertEquals(
        List.of("path", "typeFlag", "linkName", "size", "fileMode", "uid", "gid", "isDir"),
        fieldNames(etc));
    assertEquals('5', etc.get("typeFlag").asInt());
    assertEquals((1L << 31) | 0755, etc.get("fileMode").asLong(), "Go's os.ModeDir | 0755");
    assertEquals(true, etc.get("isDir").asBoolean());
    JsonNode sh = fileList.get(0);
    assertEquals("busybox", sh.get("linkName").asText());
    assertEquals((1L << 27) | 0777, sh.get("fileMode").asLong(), "Go's os.ModeSymlink | 0777");
  }

  @Test
  void toDiveExport_whiteoutListedAsItsMarkerFile() {
    DiveExport export = ImageAnalysis.of(LAYERS).toDiveExport(METAS);

    List<String> paths =
        export.layer().get(2).fileList().stream().map(DiveExport.FileEntry::path).toList();

    assertEquals(List.of("app/data", "app", "etc/.wh.hosts", "etc"), paths);
  }

  @Test
  void toDiveExport_wrongNumberOfMetas_rejected() {
    ImageAnalysis analysis = ImageAnalysis.of(LAYERS);

    assertThrows(
        IllegalArgumentException.class, () -> analysis.toDiveExport(METAS.subList(0, 2)));
  }

  @Test
  void childrenFirst_descendantBeforeAncestorAndSiblingsByName() {
    List<String> paths = new ArrayList<>(List.of("a", "a/b", "a/b/c", "a-x", "a/a", "b"));

    paths.sort(DiveExport::childrenFirst);

    assertEquals(List.of("a/a", "a/b/c", "a/b", "a", "a-x", "b"), paths);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
