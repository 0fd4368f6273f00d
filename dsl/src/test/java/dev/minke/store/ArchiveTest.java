package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.image.MediaType.Compression;
import dev.minke.image.RootFs;
import dev.minke.registry.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTest {
  private static final Reference APP = Reference.parse("example.com/team/app:1.0");
  private static final Reference TINY = Reference.parse("tiny");

  @TempDir Path tmp;

  private Store source() {
    Store store = Store.open(tmp.resolve("source"));
    TestImages.twoLayers(store, APP);
    TestImages.addLayer(store, null, TINY, List.of(LayerEntry.file("tiny", new byte[] {1, 2, 3})));
    return store;
  }

  private static byte[] save(Store store, List<Reference> refs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageArchive.save(store, refs, out);
    return out.toByteArray();
  }

  private static List<StoredImage> load(Store store, byte[] archive) {
    return ImageArchive.load(store, new ByteArrayInputStream(archive), LoadOptions.defaults().withSourceName("test.tar"));
  }

  @Test
  void save_thenLoad_sameManifestDigestsAndTags() {
    Store source = source();
    byte[] archive = save(source, List.of(APP, TINY));
    Store target = Store.open(tmp.resolve("target"));

    List<StoredImage> loaded = load(target, archive);

    // Sorted by full name: docker.io/library/tiny before example.com/team/app.
    assertEquals(List.of(Optional.of(TINY), Optional.of(APP)),
        loaded.stream().map(StoredImage::reference).toList());
    assertEquals(source.require(APP).digest(), target.require(APP).digest());
    assertEquals(source.require(TINY).digest(), target.require(TINY).digest());
    assertEquals(source.require(APP), target.require(APP));
    FsckReport report = target.fsck();
    assertTrue(report.ok(), report.problems().toString());
  }

  @Test
  void save_twice_byteIdentical_whateverTheOrderOfNames() {
    Store store = source();
    byte[] first = save(store, List.of(APP, TINY));
    byte[] second = save(store, List.of(TINY, APP));
    assertArrayEquals(first, second);
  }

  @Test
  void save_writesOciLayoutAndDockerFiles_sortedWithFixedMetadata() throws IOException {
    Store store = source();
    Manifest manifest = store.manifest(store.require(APP).digest());
    List<TarFiles.TarFile> files = TarFiles.read(save(store, List.of(APP)));

    List<String> names = files.stream().map(TarFiles.TarFile::name).toList();
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertEquals(sorted, names);
    assertEquals(List.of("blobs/", "blobs/sha256/"), names.subList(0, 2));
    assertEquals(List.of("index.json", "manifest.json", "oci-layout", "repositories"),
        names.subList(names.size() - 4, names.size()));
    assertEquals(2 + 4 + 4, names.size(), "manifest, config and two layers, each once: " + names);
    for (TarFiles.TarFile file : files) {
      assertEquals(0, file.header().getModTime().getTime());
      assertEquals(0, file.header().getLongUserId());
      assertEquals(0, file.header().getLongGroupId());
      assertEquals(file.content() == null ? 0755 : 0644, file.header().getMode());
    }

    Index index = Json.read(content(files, "index.json"), Index.class);
    assertEquals(1, index.manifests().size());
    assertEquals(Map.of("io.containerd.image.name", "example.com/team/app:1.0",
        "org.opencontainers.image.ref.name", "1.0"), index.manifests().get(0).annotations());
    JsonNode docker = Json.mapper().readTree(content(files, "manifest.json"));
    assertEquals("blobs/sha256/" + manifest.config().digest().hex(), docker.get(0).get("Config").asText());
    assertEquals("example.com/team/app:1.0", docker.get(0).get("RepoTags").get(0).asText());
    assertEquals("blobs/sha256/" + manifest.layers().get(1).digest().hex(), docker.get(0).get("Layers").get(1).asText());
    JsonNode repositories = Json.mapper().readTree(content(files, "repositories"));
    assertEquals(manifest.layers().get(1).digest().hex(), repositories.get("example.com/team/app").get("1.0").asText());
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(content(files, "oci-layout"), StandardCharsets.UTF_8));
  }

  @Test
  void load_corruptBlob_refusedAndStoreUnchanged() throws IOException {
    Store source = source();
    List<TarFiles.TarFile> files = new ArrayList<>(TarFiles.read(save(source, List.of(APP))));
    // Damage the last blob in the archive, so the earlier ones are stored before the failure.
    int last = lastBlobIndex(files);
    byte[] damaged = files.get(last).content().clone();
    damaged[damaged.length / 2] ^= 0x01;
    files.set(last, files.get(last).withContent(damaged));
    Store target = Store.open(tmp.resolve("target"));
    TestImages.addLayer(target, null, TINY, List.of(LayerEntry.file("tiny", new byte[] {9})));
    Snapshot before = Snapshot.of(target);

    ArchiveFormatException e = assertThrows(ArchiveFormatException.class,
        () -> load(target, TarFiles.write(files)));

    assertTrue(e.getMessage().startsWith("archive test.tar holds a corrupt blob: " + files.get(last).name()),
        e.getMessage());
    assertFalse(e.hint().isEmpty());
    assertEquals(before, Snapshot.of(target));
  }

  @Test
  void load_truncatedArchive_refusedAndStoreUnchanged() throws IOException {
    byte[] archive = save(source(), List.of(APP, TINY));
    Store target = Store.open(tmp.resolve("target"));
    Snapshot before = Snapshot.of(target);

    for (int length : List.of(archive.length / 2, archive.length - 1024, 700)) {
      ArchiveFormatException e = assertThrows(ArchiveFormatException.class,
          () -> load(target, Arrays.copyOf(archive, length)));
      assertEquals("archive test.tar is truncated: it ends before the tar end marker", e.problem());
      assertEquals(before, Snapshot.of(target));
    }
  }

  @Test
  void load_dotDotAndAbsoluteNames_ignoredAndNeverWritten() throws IOException {
    List<TarFiles.TarFile> files = new ArrayList<>(TarFiles.read(save(source(), List.of(APP))));
    byte[] evil = "pwned".getBytes(StandardCharsets.UTF_8);
    files.add(0, new TarFiles.TarFile("../../evil", evil, null));
    files.add(0, new TarFiles.TarFile("/tmp/evil-absolute", evil, null));
    files.add(0, new TarFiles.TarFile("blobs/sha256/../../../evil-blob", evil, null));
    files.add(0, new TarFiles.TarFile("../manifest.json", "[]".getBytes(StandardCharsets.UTF_8), null));
    Store target = Store.open(tmp.resolve("deep/target"));

    List<StoredImage> loaded = load(target, TarFiles.write(files));

    assertEquals(List.of(Optional.of(APP)), loaded.stream().map(StoredImage::reference).toList());
    try (Stream<Path> all = Files.walk(tmp)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith("evil")));
    }
    assertFalse(Files.exists(Path.of("/tmp/evil-absolute")));
  }

  @Test
  void load_onlyDotDotDocuments_notAnImageArchive() {
    byte[] archive = TarFiles.write(List.of(
        new TarFiles.TarFile("../index.json", "{}".getBytes(StandardCharsets.UTF_8), null),
        new TarFiles.TarFile("../manifest.json", "[]".getBytes(StandardCharsets.UTF_8), null)));
    ArchiveFormatException e = assertThrows(ArchiveFormatException.class,
        () -> load(Store.open(tmp.resolve("target")), archive));
    assertEquals("archive test.tar has no index.json or manifest.json: not an image archive", e.problem());
  }

  @Test
  void load_notATar_saysSo() {
    byte[] junk = new byte[4096];
    Arrays.fill(junk, (byte) 'x');
    ArchiveFormatException e = assertThrows(ArchiveFormatException.class,
        () -> load(Store.open(tmp.resolve("target")), junk));
    assertTrue(e.getMessage().contains("is not a tar archive"), e.getMessage());
  }

  @Test
  void load_classicDockerSave_computesDiffIdsAndWritesOciManifest() throws IOException {
    ClassicArchive classic = ClassicArchive.make(false);
    Store target = Store.open(tmp.resolve("target"));

    List<StoredImage> loaded = load(target, classic.tar());

    Reference name = Reference.parse("example.com/classic:1");
    assertEquals(List.of(Optional.of(name)), loaded.stream().map(StoredImage::reference).toList());
    Manifest manifest = target.manifest(target.require(name).digest());
    assertEquals(MediaType.OCI_MANIFEST, manifest.mediaType());
    assertEquals(classic.configDigest(), manifest.config().digest());
    assertEquals(classic.diffIds(), manifest.layers().stream().map(Descriptor::digest).toList());
    assertTrue(manifest.layers().stream().allMatch(l -> l.mediaType().equals(MediaType.OCI_LAYER_TAR)));
    assertEquals(classic.diffIds(), target.config(manifest).rootfs().diffIds());
    assertTrue(target.fsck().ok());
  }

  @Test
  void load_classicDockerSave_diffIdMismatch_refusedAndNothingTagged() throws IOException {
    ClassicArchive classic = ClassicArchive.make(true);
    Store target = Store.open(tmp.resolve("target"));
    Snapshot before = Snapshot.of(target);

    ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> load(target, classic.tar()));

    assertTrue(e.getMessage().contains("rootfs.diff_ids[1]"), e.getMessage());
    assertEquals(before, Snapshot.of(target));
  }

  @Test
  void load_ociArchiveWithBareTag_untaggedOrNamedByOption() {
    Store source = source();
    List<TarFiles.TarFile> files = new ArrayList<>(TarFiles.read(save(source, List.of(APP))));
    Descriptor plain = source.require(APP).withAnnotations(Map.of(ImageIndex.REF_NAME, "v1"));
    files.removeIf(f -> f.name().equals("manifest.json") || f.name().equals("repositories"));
    files.replaceAll(f -> f.name().equals("index.json") ? f.withContent(Json.bytes(Index.oci(List.of(plain)))) : f);
    byte[] archive = TarFiles.write(files);

    Store untagged = Store.open(tmp.resolve("untagged"));
    List<StoredImage> first = load(untagged, archive);
    assertEquals(Optional.empty(), first.get(0).reference());
    assertEquals(List.of(plain.digest()), untagged.images().digests());

    Store named = Store.open(tmp.resolve("named"));
    List<StoredImage> second = ImageArchive.load(named, new ByteArrayInputStream(archive),
        LoadOptions.defaults().withRepository(Reference.parse("localhost:5000/me/app")));
    Reference expected = Reference.parse("localhost:5000/me/app:v1");
    assertEquals(Optional.of(expected), second.get(0).reference());
    assertEquals(plain.digest(), named.require(expected).digest());
  }

  @Test
  void load_indexNamesMissingBlob_refusedAndStoreUnchanged() throws IOException {
    Store source = source();
    List<TarFiles.TarFile> files = new ArrayList<>(TarFiles.read(save(source, List.of(APP))));
    files.remove(lastBlobIndex(files));
    Store target = Store.open(tmp.resolve("target"));
    Snapshot before = Snapshot.of(target);

    ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> load(target, TarFiles.write(files)));

    assertTrue(e.getMessage().contains("lacks blob"), e.getMessage());
    assertEquals(before, Snapshot.of(target));
  }

  @Test
  void exportLayout_writesLayout_andRefusesForeignDir() throws IOException {
    Store store = source();
    Path dir = tmp.resolve("layout");
    ImageArchive.exportLayout(store, List.of(APP), dir);
    ImageArchive.exportLayout(store, List.of(TINY), dir);

    Index index = Json.read(Files.readAllBytes(dir.resolve("index.json")), Index.class);
    assertEquals(List.of("example.com/team/app:1.0", "docker.io/library/tiny:latest"),
        index.manifests().stream().map(d -> d.annotations().get("io.containerd.image.name")).toList());
    assertTrue(Files.exists(dir.resolve("oci-layout")));
    assertFalse(Files.exists(dir.resolve("manifest.json")));
    for (Digest blob : List.of(store.require(APP).digest(), store.require(TINY).digest())) {
      assertArrayEquals(store.blobs().readAll(blob), Files.readAllBytes(dir.resolve("blobs/sha256/" + blob.hex())));
    }
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    LayoutExportException e = assertThrows(LayoutExportException.class,
        () -> ImageArchive.exportLayout(store, List.of(APP), foreign));
    assertTrue(e.getMessage().contains("not empty and not an OCI image layout"), e.getMessage());
  }

  @Test
  void save_missingImage_throwsImageNotFound() {
    assertThrows(ImageNotFoundException.class,
        () -> save(source(), List.of(Reference.parse("nothere"))));
  }

  private static int lastBlobIndex(List<TarFiles.TarFile> files) {
    int last = -1;
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).name().startsWith("blobs/sha256/") && files.get(i).content() != null) {
        last = i;
      }
    }
    return last;
  }

  private static byte[] content(List<TarFiles.TarFile> files, String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().content();
  }

  /** What a failed load must leave as it was: index.json's bytes, the blob names, no temp files. */
  private record Snapshot(byte[] indexJson, List<String> blobs, List<String> tmpFiles) {
    static Snapshot of(Store store) throws IOException {
      return new Snapshot(Files.readAllBytes(store.home().resolve("index.json")),
          list(store.home().resolve("blobs/sha256")), list(store.home().resolve("tmp")));
    }

    private static List<String> list(Path dir) throws IOException {
      try (Stream<Path> files = Files.list(dir)) {
        return files.map(p -> p.getFileName().toString()).sorted().toList();
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Snapshot s && Arrays.equals(indexJson, s.indexJson) && blobs.equals(s.blobs)
          && tmpFiles.equals(s.tmpFiles);
    }

    @Override
    public int hashCode() {
      return blobs.hashCode();
    }

    @Override
    public String toString() {
      return "index.json=" + new String(indexJson, StandardCharsets.UTF_8) + " blobs=" + blobs + " tmp=" + tmpFiles;
    }
  }

  /** A classic {@code docker save} tar made by hand: {@code <id>/layer.tar}, {@code <config>.json}. */
  private record ClassicArchive(byte[] tar, Digest configDigest, List<Digest> diffIds) {
    static ClassicArchive make(boolean wrongSecondDiffId) throws IOException {
      LayerWriter writer = new LayerWriter(LayerWriterOptions.defaults().withCompression(Compression.NONE));
      List<byte[]> layerTars = new ArrayList<>();
      List<Digest> diffIds = new ArrayList<>();
      for (String file : List.of("one", "two")) {
        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        LayerBlob blob = writer.write(List.of(LayerEntry.file(file, file.getBytes(StandardCharsets.UTF_8))), layer);
        layerTars.add(layer.toByteArray());
        diffIds.add(blob.diffId());
      }
      List<Digest> configured = new ArrayList<>(diffIds);
      if (wrongSecondDiffId) {
        configured.set(1, Digest.sha256("something else"));
      }
      ImageConfig config = ImageConfig.scratch(TestImages.CREATED);
      config = new ImageConfig(config.created(), null, config.architecture(), config.os(), null, null,
          RootFs.of(configured), List.of(HistoryEntry.layer(TestImages.CREATED, "ADD one"),
              HistoryEntry.layer(TestImages.CREATED, "ADD two")));
      byte[] configJson = Json.bytes(config);
      Digest configDigest = Digest.sha256(configJson);
      String v1One = Digest.sha256("v1-one").hex();
      String v1Two = Digest.sha256("v1-two").hex();
      String manifestJson = "[{\"Config\":\"" + configDigest.hex() + ".json\",\"RepoTags\":[\"example.com/classic:1\"],"
          + "\"Layers\":[\"" + v1One + "/layer.tar\",\"" + v1Two + "/layer.tar\"]}]";
      List<TarFiles.TarFile> files = new ArrayList<>();
      files.add(new TarFiles.TarFile(v1One + "/", null, null));
      files.add(new TarFiles.TarFile(v1One + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8), null));
      files.add(new TarFiles.TarFile(v1One + "/json", "{}".getBytes(StandardCharsets.UTF_8), null));
      files.add(new TarFiles.TarFile(v1One + "/layer.tar", layerTars.get(0), null));
      files.add(new TarFiles.TarFile(v1Two + "/layer.tar", layerTars.get(1), null));
      files.add(new TarFiles.TarFile(configDigest.hex() + ".json", configJson, null));
      files.add(new TarFiles.TarFile("manifest.json", manifestJson.getBytes(StandardCharsets.UTF_8), null));
      files.add(new TarFiles.TarFile("repositories",
          ("{\"example.com/classic\":{\"1\":\"" + v1Two + "\"}}").getBytes(StandardCharsets.UTF_8), null));
      return new ClassicArchive(TarFiles.write(files), configDigest, diffIds);
    }
  }
}
