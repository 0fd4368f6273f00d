package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.OciValidator.Kind;
import dev.minke.image.SchemaVectorsTest.Vector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Minke's image records against the OCI schemas: what they read from the spec's vectors they
 * write back valid and intact, what they build from scratch is valid, their bytes are canonical,
 * and they refuse the invalid documents they are meant to refuse.
 */
class OciModelConformanceTest {

  /** Fail vectors that {@code Json.read} accepts although the schema rejects them, and why. */
  static final Map<String, String> ACCEPTED_BY_MODEL =
      Map.ofEntries(
          Map.entry("vectors/config/001-config-fail.json",
              "Jackson coerces the number 123 to the string \"123\" for os"),
          Map.entry("vectors/config/002-config-fail.json",
              "Jackson coerces the number 123 to the string \"123\" for variant"),
          Map.entry("vectors/config/003-config-fail.json",
              "Jackson coerces the number 1234 to the string \"1234\" for User"),
          Map.entry("vectors/imageindex/002-index-fail.json",
              "Jackson coerces the string \"7682\" to the long size"),
          Map.entry("vectors/imageindex/004-index-fail.json",
              "Platform does not require architecture and os (it also serves partial platforms)"),
          Map.entry("vectors/imageindex/012-index-fail.json",
              "Index does not model subject, so a malformed one is ignored"),
          Map.entry("vectors/manifest/003-manifest-fail.json",
              "Jackson coerces the string \"675598\" to the long size"),
          Map.entry("vectors/manifest/006-manifest-fail.json",
              "Manifest reads an empty layers list (Docker writes them; the schema wants >= 1)"));

  // The fields each record models. A field's value must survive read -> write; fields the
  // record does not model (Docker's Hostname, an index's artifactType, …) may be dropped.
  static final ModeledFields PLATFORM =
      ModeledFields.of("architecture", "os", "os.version", "os.features", "variant");
  static final ModeledFields DESCRIPTOR =
      ModeledFields.of("mediaType", "digest", "size", "urls", "annotations", "artifactType")
          .object("platform", PLATFORM);
  static final ModeledFields MANIFEST =
      ModeledFields.of("schemaVersion", "mediaType", "artifactType", "annotations")
          .object("config", DESCRIPTOR)
          .array("layers", DESCRIPTOR)
          .object("subject", DESCRIPTOR);
  static final ModeledFields INDEX =
      ModeledFields.of("schemaVersion", "mediaType", "annotations").array("manifests", DESCRIPTOR);
  static final ModeledFields HEALTHCHECK =
      ModeledFields.of("Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries");
  static final ModeledFields CONTAINER_CONFIG =
      ModeledFields.of("User", "ExposedPorts", "Env", "Volumes", "WorkingDir", "Labels",
              "StopSignal", "Shell", "OnBuild")
          // An empty Cmd clears the base image's, so [] must not collapse into "unset".
          .nullOnly("Entrypoint", "Cmd")
          .object("Healthcheck", HEALTHCHECK);
  static final ModeledFields CONFIG =
      ModeledFields.of("created", "author", "architecture", "os", "variant")
          .object("config", CONTAINER_CONFIG)
          .object("rootfs", ModeledFields.of("type", "diff_ids"))
          .array("history",
              ModeledFields.of("created", "author", "created_by", "comment", "empty_layer"));

  static final String CREATED = "2024-01-02T03:04:05Z";

  // ---- (a) pass vectors: read, write back, still valid and intact ----

  static Stream<Vector> readablePassVectors() throws IOException {
    return SchemaVectorsTest.vectors().stream()
        .filter(v -> v.expected().equals("pass"))
        .filter(v -> modelOf(v.validatorKind()) != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readablePassVectors")
  void readThenWrite_passVector_staysValidAndKeepsModeledFields(Vector vector) throws IOException {
    Kind kind = vector.validatorKind();
    byte[] original = SchemaVectorsTest.read(vector);
    Object value = Json.read(original, modelOf(kind));

    byte[] written = Json.bytes(value);

    OciValidator.assertValid(kind, written);
    List<String> lost = new ArrayList<>();
    modeledFieldsOf(kind).compare("$", tree(original), tree(written), lost);
    assertTrue(lost.isEmpty(), () -> vector.path() + " lost or changed " + lost
        + "\nwritten: " + new String(written, StandardCharsets.UTF_8));
  }

  @Test
  void readablePassVectors_coverEveryManifestIndexAndConfigPassVector() throws IOException {
    // Guards the corpus: the 21 manifest, index and config pass vectors (spec examples
    // included) all go through the round trip above; each one that Json.read refuses fails there.
    assertEquals(21, readablePassVectors().count());
  }

  // ---- (b) documents built from scratch are valid ----

  @Test
  void imageConfig_everyField_isValid() {
    byte[] json = Json.bytes(fullConfig());

    OciValidator.assertValid(Kind.CONFIG, json);
    JsonNode tree = tree(json);
    assertEquals("PATH=/usr/local/bin:/usr/bin", tree.at("/config/Env/0").textValue());
    assertEquals("EMPTY=", tree.at("/config/Env/1").textValue());
    assertEquals("/bin/app", tree.at("/config/Entrypoint/0").textValue());
    assertTrue(tree.at("/config/ExposedPorts/53~1udp").isObject());
    assertTrue(tree.at("/config/Volumes/~1data").isObject());
    assertEquals("CMD-SHELL", tree.at("/config/Healthcheck/Test/0").textValue());
    assertEquals(30_000_000_000L, tree.at("/config/Healthcheck/Interval").longValue());
    assertTrue(tree.at("/config/Healthcheck/StartPeriod").isMissingNode(), "zero is left out");
    assertEquals("layers", tree.at("/rootfs/type").textValue());
    assertEquals(2, tree.at("/rootfs/diff_ids").size());
    assertTrue(tree.at("/history/0/empty_layer").isMissingNode());
    assertTrue(tree.at("/history/1/empty_layer").booleanValue());
    assertEquals("ENV EMPTY=", tree.at("/history/1/created_by").textValue());
  }

  @Test
  void imageConfig_scratch_isValid() {
    OciValidator.assertValid(Kind.CONFIG, Json.bytes(ImageConfig.scratch(CREATED)));
  }

  @Test
  void imageConfig_emptyCmd_isWrittenAsEmptyArray() {
    ImageConfig config =
        ImageConfig.scratch(CREATED).withConfig(ContainerConfig.empty().withCmd(List.of()));
    byte[] json = Json.bytes(config);

    OciValidator.assertValid(Kind.CONFIG, json);
    assertTrue(tree(json).at("/config/Cmd").isArray());
    assertTrue(tree(json).at("/config/Entrypoint").isMissingNode());
  }

  @Test
  void manifest_oci_isValid() {
    Manifest manifest =
        Manifest.oci(configDescriptor(), layers())
            .withAnnotations(Map.of("org.opencontainers.image.created", CREATED));
    byte[] json = Json.bytes(manifest);

    OciValidator.assertValid(Kind.MANIFEST, json);
    assertEquals(MediaType.OCI_MANIFEST, tree(json).path("mediaType").textValue());
    assertEquals(2, tree(json).path("schemaVersion").intValue());
  }

  @Test
  void manifest_noLayers_isRejectedBySchema() {
    // A config-only image (FROM scratch + ENV) gives layers: []. The schema requires at least
    // one layer, so such an image needs e.g. the empty descriptor as its layer to be valid.
    byte[] json = Json.bytes(Manifest.oci(configDescriptor(), List.of()));

    List<OciValidator.Violation> violations = OciValidator.get().validate(Kind.MANIFEST, json);

    assertEquals(List.of("$.layers"), violations.stream().map(v -> v.location()).toList());
  }

  @Test
  void index_oci_isValid() {
    Descriptor amd64 =
        Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256("amd64"), 500)
            .withPlatform(Platform.of("linux", "amd64"));
    Descriptor arm64 =
        Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256("arm64"), 501)
            .withPlatform(new Platform("arm64", "linux", null, null, "v8"))
            .withAnnotations(Map.of("org.opencontainers.image.ref.name", "1.0"));
    Index index = new Index(2, MediaType.OCI_INDEX, Index.oci(List.of(amd64, arm64)).manifests(),
        Map.of("com.example.revision", "r1"));

    OciValidator.assertValid(Kind.INDEX, Json.bytes(Index.oci(List.of(amd64, arm64))));
    OciValidator.assertValid(Kind.INDEX, Json.bytes(index));
  }

  @Test
  void index_empty_asTheStoreWritesIt_isValid() {
    OciValidator.assertValid(Kind.INDEX, Json.bytes(Index.oci(List.of())));
  }

  @Test
  void descriptor_zeroSizeUrlsAndArtifactType_isValid() {
    Descriptor empty = Descriptor.of("application/octet-stream", Digest.sha256(new byte[0]), 0);
    Descriptor foreign =
        new Descriptor(MediaType.DOCKER_LAYER_FOREIGN_GZIP, Digest.sha256("foreign"), 10,
            List.of("https://example.com/layer.tar.gz"), Map.of("k", "v"), null,
            "application/vnd.example+type");
    byte[] emptyJson = Json.bytes(empty);

    OciValidator.assertValid(Kind.DESCRIPTOR, emptyJson);
    OciValidator.assertValid(Kind.DESCRIPTOR, Json.bytes(foreign));
    assertEquals(0, tree(emptyJson).path("size").intValue(), "size 0 is required, not empty");
  }

  @Test
  void layoutFile_isValid() {
    OciValidator.assertValid(
        Kind.LAYOUT, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
  }

  // ---- (c) canonical bytes ----

  @Test
  void bytes_sameValueBuiltTwice_sameBytes() {
    assertArrayEquals(Json.bytes(fullConfig()), Json.bytes(fullConfig()));
    assertArrayEquals(
        Json.bytes(Manifest.oci(configDescriptor(), layers())),
        Json.bytes(Manifest.oci(configDescriptor(), layers())));
  }

  @Test
  void bytes_mapInsertionOrder_doesNotMatter() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    ContainerConfig labelsAb = ContainerConfig.empty().withLabel("a", "1").withLabel("b", "2");
    ContainerConfig labelsBa = ContainerConfig.empty().withLabel("b", "2").withLabel("a", "1");
    ContainerConfig portsAb = ContainerConfig.empty().withExposedPort("80/tcp").withVolume("/b")
        .withExposedPort("443/tcp").withVolume("/a");
    ContainerConfig portsBa = ContainerConfig.empty().withVolume("/a").withExposedPort("443/tcp")
        .withVolume("/b").withExposedPort("80/tcp");
    Manifest manifest = Manifest.oci(configDescriptor(), layers());

    assertArrayEquals(Json.bytes(labelsAb), Json.bytes(labelsBa));
    assertArrayEquals(Json.bytes(portsAb), Json.bytes(portsBa));
    assertArrayEquals(
        Json.bytes(manifest.withAnnotations(ab)), Json.bytes(manifest.withAnnotations(ba)));
    assertArrayEquals(
        Json.bytes(Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256("c"), 1).withAnnotations(ab)),
        Json.bytes(Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256("c"), 1).withAnnotations(ba)));
  }

  @Test
  void bytes_areCompactUtf8() {
    String json = new String(Json.bytes(fullConfig()), StandardCharsets.UTF_8);

    assertFalse(json.contains("\n"), json);
    assertFalse(json.contains(": "), json);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readablePassVectors")
  void readThenWrite_isAFixedPoint(Vector vector) throws IOException {
    Class<?> model = modelOf(vector.validatorKind());
    byte[] once = Json.bytes(Json.read(SchemaVectorsTest.read(vector), model));

    byte[] twice = Json.bytes(Json.read(once, model));

    assertArrayEquals(once, twice, () -> new String(once, StandardCharsets.UTF_8));
  }

  @Test
  void readThenWrite_builtDocuments_areFixedPoints() {
    for (Object value :
        List.of(fullConfig(), Manifest.oci(configDescriptor(), layers()), Index.oci(List.of()))) {
      byte[] once = Json.bytes(value);
      assertArrayEquals(once, Json.bytes(Json.read(once, value.getClass())));
      assertEquals(value, Json.read(once, value.getClass()));
    }
  }

  // ---- (d) fail vectors the model itself refuses ----

  static Stream<Vector> modelFailVectors() throws IOException {
    return SchemaVectorsTest.vectors().stream()
        .filter(v -> v.expected().equals("fail"))
        .filter(v -> modelOf(v.validatorKind()) != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modelFailVectors")
  void read_failVector_rejectedUnlessListedAsAccepted(Vector vector) throws IOException {
    byte[] bytes = SchemaVectorsTest.read(vector);
    Class<?> model = modelOf(vector.validatorKind());

    if (ACCEPTED_BY_MODEL.containsKey(vector.path())) {
      // Keeps the list honest: an entry goes once the model starts rejecting the vector.
      Json.read(bytes, model);
    } else {
      MalformedDocumentException e =
          assertThrows(MalformedDocumentException.class, () -> Json.read(bytes, model));
      assertEquals(model.getSimpleName(), e.documentType());
    }
  }

  @Test
  void read_badDigests_rejected() {
    String good = "sha256:" + "a".repeat(64);
    for (String digest :
        List.of("sha256:" + "A".repeat(64), "sha256:" + "a".repeat(63), "sha512:" + "a".repeat(64),
            "md5:" + "a".repeat(32), "sha256", ":" + "a".repeat(64))) {
      String json = "{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" + digest + "\"}";
      assertThrows(MalformedDocumentException.class,
          () -> Json.read(json.getBytes(StandardCharsets.UTF_8), Descriptor.class), digest);
    }
    String json = "{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" + good + "\"}";
    assertEquals(good, Json.read(json.getBytes(StandardCharsets.UTF_8), Descriptor.class)
        .digest().toString());
  }

  @Test
  void read_schemaVersionOtherThan2_rejected() {
    String config =
        "{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:" + "a".repeat(64) + "\"}";
    for (int version : new int[] {0, 1, 3}) {
      byte[] manifest = ("{\"schemaVersion\":" + version + ",\"config\":" + config
          + ",\"layers\":[" + config + "]}").getBytes(StandardCharsets.UTF_8);
      byte[] index = ("{\"schemaVersion\":" + version + ",\"manifests\":[]}")
          .getBytes(StandardCharsets.UTF_8);
      assertThrows(MalformedDocumentException.class, () -> Json.read(manifest, Manifest.class));
      assertThrows(MalformedDocumentException.class, () -> Json.read(index, Index.class));
    }
  }

  @Test
  void read_envWithoutEquals_rejected() {
    for (String env : List.of("foo", "=bar")) {
      byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\""
          + env + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
          .getBytes(StandardCharsets.UTF_8);
      assertThrows(MalformedDocumentException.class, () -> Json.read(config, ImageConfig.class));
    }
  }

  @Test
  void read_descriptorMediaTypeOutsideRfc6838_rejected() {
    for (String mediaType :
        List.of("invalid", "application", ".foo/bar", "foo/.bar", "a".repeat(128) + "/b",
            "a/" + "b".repeat(128), "text/plain; charset=utf-8")) {
      String json = "{\"mediaType\":\"" + mediaType + "\",\"size\":1,\"digest\":\"sha256:"
          + "a".repeat(64) + "\"}";
      assertThrows(MalformedDocumentException.class,
          () -> Json.read(json.getBytes(StandardCharsets.UTF_8), Descriptor.class), mediaType);
    }
    assertThrows(IllegalArgumentException.class,
        () -> Descriptor.of("invalid", Digest.sha256("x"), 1));
  }

  // ---- helpers ----

  static Class<?> modelOf(Kind kind) {
    return switch (kind) {
      case MANIFEST -> Manifest.class;
      case INDEX -> Index.class;
      case CONFIG -> ImageConfig.class;
      case LAYOUT, DESCRIPTOR -> null;
    };
  }

  static ModeledFields modeledFieldsOf(Kind kind) {
    return switch (kind) {
      case MANIFEST -> MANIFEST;
      case INDEX -> INDEX;
      case CONFIG -> CONFIG;
      case LAYOUT, DESCRIPTOR -> throw new IllegalArgumentException(kind.name());
    };
  }

  static JsonNode tree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static ImageConfig fullConfig() {
    ContainerConfig container =
        ContainerConfig.empty()
            .withUser("1000:1000")
            .withEnv("PATH", "/usr/local/bin:/usr/bin")
            .withEnv("EMPTY", "")
            .withEntrypoint(List.of("/bin/app"))
            .withCmd(List.of("--serve", "--port=8080"))
            .withExposedPort("8080/tcp")
            .withExposedPort("53/udp")
            .withVolume("/data")
            .withWorkingDir("/srv")
            .withLabel("org.opencontainers.image.title", "demo")
            .withLabel("com.example.empty", "")
            .withStopSignal("SIGTERM")
            .withShell(List.of("/bin/sh", "-c"))
            .withHealthcheck(new HealthCheck(
                List.of("CMD-SHELL", "curl -f http://localhost/"), 30_000_000_000L,
                5_000_000_000L, 0, 0, 3));
    return new ImageConfig(CREATED, "Minke", "amd64", "linux", null, container, null, null)
        .plusLayer(Digest.sha256("layer one"), HistoryEntry.layer(CREATED, "COPY app /bin/app"))
        .plusHistory(HistoryEntry.config(CREATED, "ENV EMPTY="))
        .plusLayer(Digest.sha256("layer two"), HistoryEntry.layer(CREATED, "RUN setup"));
  }

  static Descriptor configDescriptor() {
    byte[] config = Json.bytes(fullConfig());
    return Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
  }

  static List<Descriptor> layers() {
    return List.of(
        Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256("gzip"), 1234),
        Descriptor.of(MediaType.OCI_LAYER_ZSTD, Digest.sha256("zstd"), 99),
        Descriptor.of(MediaType.OCI_LAYER_TAR, Digest.sha256("tar"), 10240));
  }
}
