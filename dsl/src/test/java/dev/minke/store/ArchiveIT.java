package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.LayerEntry;
import dev.minke.image.Manifest;
import dev.minke.registry.Reference;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minke's store, archives and exported layouts as the real peers read them: skopeo 1.9 and umoci
 * 0.4.7. Each test is skipped, saying why, when its tool is not installed.
 */
class ArchiveIT {
  private static final Reference BUSYBOX = BusyboxImage.NAME;
  private static final Reference TWO = Reference.parse("localhost:5000/test/two:1");

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Store store;

  @BeforeAll
  static void makeImages() {
    store = Store.open(shared.resolve("store"));
    BusyboxImage.make(store, Path.of("/bin/busybox"), 0);
    TestImages.addLayer(store, BUSYBOX, TWO, List.of(LayerEntry.directory("app"),
        LayerEntry.file("app/hello.txt", "hello from layer two\n".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void skopeoInspect_readsTheStoreAsIs() throws Exception {
    requireTool("skopeo");
    String json = run("skopeo", "inspect", "oci:" + store.home() + ":" + BUSYBOX);
    Map<?, ?> inspected = Json.mapper().readValue(json, Map.class);
    assertEquals(store.require(BUSYBOX).digest().toString(), inspected.get("Digest"));
  }

  @Test
  void umociUnpack_readsTheStoreAsIs() throws Exception {
    requireTool("umoci");
    Path bundle = tmp.resolve("bundle");
    run("umoci", "unpack", "--image", store.home() + ":" + BUSYBOX, bundle.toString());
    assertTrue(Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")));
    deleteTree(bundle);
  }

  @Test
  void skopeoCopy_dockerArchive_sameDiffIds() throws Exception {
    requireTool("skopeo");
    Path saved = save(List.of(BUSYBOX, TWO));
    Path out = tmp.resolve("from-docker-archive");
    // Two images in one archive: docker-archive picks one by its RepoTags name.
    run("skopeo", "copy", "docker-archive:" + saved + ":" + TWO.familiar(), "oci:" + out + ":x");
    assertEquals(diffIds(store, store.require(TWO)), diffIds(out, "x"));
    run("skopeo", "copy", "docker-archive:" + saved + ":" + BUSYBOX.familiar(), "oci:" + out + ":y");
    assertEquals(diffIds(store, store.require(BUSYBOX)), diffIds(out, "y"));
  }

  @Test
  void skopeoCopy_ociArchive_sameManifestAndDiffIds() throws Exception {
    requireTool("skopeo");
    // skopeo 1.9 reads `oci-archive:PATH[:REF]` and matches REF against ref.name, which Docker 25
    // and Minke set to the bare tag; with one image in the archive REF can be left out.
    Path saved = save(List.of(TWO));
    Path out = tmp.resolve("from-oci-archive");
    run("skopeo", "copy", "oci-archive:" + saved + ":" + TWO.tag(), "oci:" + out + ":x");
    run("skopeo", "copy", "oci-archive:" + saved, "oci:" + out + ":y");
    Descriptor minke = store.require(TWO);
    assertEquals(diffIds(store, minke), diffIds(out, "x"));
    assertEquals(minke.digest(), indexEntry(out, "x").digest());
    assertEquals(minke.digest(), indexEntry(out, "y").digest());
  }

  @Test
  void minkeLoad_readsSkopeoOciArchive_sameManifestDigest() throws Exception {
    requireTool("skopeo");
    Path archive = tmp.resolve("x.tar");
    run("skopeo", "copy", "oci:" + store.home() + ":" + BUSYBOX, "oci-archive:" + archive);
    Path home = tmp.resolve("loaded");

    String untagged = minke(home, "load", "-i", archive.toString());
    assertEquals("Loaded image ID: " + store.require(BUSYBOX).digest(), untagged.strip());

    Path named = tmp.resolve("named.tar");
    run("skopeo", "copy", "oci:" + store.home() + ":" + BUSYBOX, "oci-archive:" + named + ":latest");
    String tagged = minke(home, "load", "-i", named.toString(), "--name", "busybox");
    assertEquals("Loaded image: busybox:latest", tagged.strip());
    assertEquals(store.require(BUSYBOX).digest(), Store.open(home).require(BUSYBOX).digest());
  }

  @Test
  void minkeLoad_readsSkopeoDockerArchive_classicFormat() throws Exception {
    requireTool("skopeo");
    Path archive = tmp.resolve("classic.tar");
    run("skopeo", "copy", "oci:" + store.home() + ":" + TWO, "docker-archive:" + archive + ":" + TWO.familiar());
    Path home = tmp.resolve("loaded");

    assertEquals("Loaded image: " + TWO.familiar(), minke(home, "load", "-i", archive.toString()).strip());

    Store loaded = Store.open(home);
    assertEquals(diffIds(store, store.require(TWO)), diffIds(loaded, loaded.require(TWO)));
    assertTrue(loaded.fsck().ok());
  }

  @Test
  void minkeSaveLoad_throughTheCli_roundTrip() throws Exception {
    Path home = tmp.resolve("copy");
    Path saved = save(List.of(BUSYBOX, TWO));
    String out = minke(home, "load", "-i", saved.toString());
    assertEquals(List.of("Loaded image: busybox:latest", "Loaded image: " + TWO.familiar()), out.lines().toList());
    Path resaved = tmp.resolve("resaved.tar");
    minke(home, "save", "-o", resaved.toString(), "busybox", TWO.toString());
    assertEquals(-1L, Files.mismatch(saved, resaved), "the same images give the same archive bytes");
  }

  @Test
  void umociUnpack_readsExportedLayout() throws Exception {
    requireTool("umoci");
    Path layout = tmp.resolve("layout");
    minke(store.home(), "export", "--oci", layout.toString(), TWO.toString());
    Path bundle = tmp.resolve("bundle");
    run("umoci", "unpack", "--image", layout + ":" + TWO.tag(), bundle.toString());
    assertTrue(Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")));
    assertEquals("hello from layer two\n", Files.readString(bundle.resolve("rootfs/app/hello.txt")));
    deleteTree(bundle);
  }

  // --- helpers

  private Path save(List<Reference> refs) throws IOException {
    Path file = tmp.resolve("saved-" + refs.size() + ".tar");
    try (OutputStream out = Files.newOutputStream(file)) {
      ImageArchive.save(store, refs, out);
    }
    return file;
  }

  private static List<Digest> diffIds(Store from, Descriptor manifest) {
    return from.config(from.manifest(manifest.digest())).rootfs().diffIds();
  }

  /** The diff IDs of the image an OCI layout names {@code refName}. */
  private static List<Digest> diffIds(Path layout, String refName) throws IOException {
    Descriptor entry = indexEntry(layout, refName);
    Manifest manifest = Json.read(Files.readAllBytes(blob(layout, entry.digest())), Manifest.class);
    return Json.read(Files.readAllBytes(blob(layout, manifest.config().digest())), ImageConfig.class)
        .rootfs().diffIds();
  }

  private static Descriptor indexEntry(Path layout, String refName) throws IOException {
    Index index = Json.read(Files.readAllBytes(layout.resolve("index.json")), Index.class);
    return index.manifests().stream()
        .filter(d -> refName.equals(d.annotations().get(ImageIndex.REF_NAME)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + refName + " in " + index));
  }

  private static Path blob(Path layout, Digest digest) {
    return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private static void requireTool(String tool) {
    boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    assumeTrue(found, tool + " is not installed: this peer test assumes it on PATH (CI installs it)");
  }

  /** Runs the {@code minke} CLI in a child JVM whose store is {@code home}; returns stdout. */
  private static String minke(Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.minke.cli.Main"));
    command.addAll(List.of(args));
    return exec(command, Map.of("MINKE_HOME", home.toString()));
  }

  private static String run(String... command) throws Exception {
    return exec(List.of(command), Map.of());
  }

  private static String exec(List<String> command, Map<String, String> env) throws Exception {
    Path stderr = Files.createTempFile("archive-it-", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
      assertEquals(0, process.exitValue(),
          String.join(" ", command) + " failed:\n" + out + Files.readString(stderr));
      return out;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
