package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.image.Platform;
import dev.minke.registry.ManifestUnknownException;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryContentException;
import dev.minke.registry.RegistryOptions;
import dev.minke.registry.TestRegistry;
import dev.minke.runtime.Containers;
import dev.minke.runtime.OutputListener;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push and pull against a real registry (distribution 2.8 on 127.0.0.1), cross-checked with
 * skopeo: what Minke pushes skopeo reads, what skopeo pushes (Docker media types, an index) Minke
 * pulls, and a pulled busybox runs.
 */
class RegistryPushPullIT {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static TestRegistry registry;
  private static Store source;
  private static Descriptor busybox;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TestRegistry.available(), "docker-registry is not installed");
    registry = TestRegistry.start(shared.resolve("registry"));
    source = Store.open(shared.resolve("source"));
    busybox = BusyboxImage.make(source, Path.of("/bin/busybox"), 0).manifestDescriptor();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static RegistryOptions registryOptions() {
    return RegistryOptions.defaults().withRetries(1, 10).withMirror(null);
  }

  private static PushOptions pushOptions() {
    return PushOptions.defaults().withRegistry(registryOptions());
  }

  private static PullOptions pullOptions() {
    return PullOptions.defaults().withPolicy(PullPolicy.ALWAYS).withRegistry(registryOptions());
  }

  @Test
  void pushBusybox_pullIntoEmptyStore_sameDigest_andItRuns() {
    Reference target = registry.ref("test/busybox:1");
    List<TransferEvent> events = new CopyOnWriteArrayList<>();
    PushResult pushed = ImagePush.push(source, BusyboxImage.NAME, target, pushOptions().withListener(events::add));
    assertEquals(busybox.digest(), pushed.digest());
    assertEquals(2, pushed.blobsUploaded() + pushed.blobsExisted() + pushed.blobsMounted());
    assertTrue(events.stream().anyMatch(e -> e.kind() == TransferEvent.Kind.STARTED));

    Store empty = Store.open(tmp.resolve("empty"));
    List<TransferEvent> pullEvents = new CopyOnWriteArrayList<>();
    PullResult pulled = ImagePull.pull(empty, target, pullOptions().withListener(pullEvents::add));
    assertEquals(busybox.digest(), pulled.manifest().digest());
    assertEquals(2, pulled.blobsFetched());
    assertEquals(busybox.digest(), empty.require(target).digest());
    long layerBytes = pullEvents.stream().filter(e -> e.kind() == TransferEvent.Kind.DONE)
        .mapToLong(TransferEvent::bytes).sum();
    assertEquals(pulled.bytesFetched(), layerBytes);
    assertTrue(empty.fsck().problems().isEmpty(), empty.fsck().toString());

    // The same pull again fetches nothing: every blob is there.
    PullResult again = ImagePull.pull(empty, target, pullOptions());
    assertEquals(0, again.blobsFetched());
    assertEquals(2, again.blobsPresent());

    RunResult run = new Containers(empty).run(empty.require(target), target.toString(),
        RunOptions.defaults().withCommand(List.of("echo", "pulled and running")), OutputListener.NONE, true);
    assertEquals(0, run.exitCode(), run.output());
    assertEquals("pulled and running\n", run.stdout());
  }

  @Test
  void skopeo_readsAndCopiesWhatMinkePushed() throws Exception {
    requireTool("skopeo");
    Reference target = registry.ref("skopeo/reads:1");
    ImagePush.push(source, BusyboxImage.NAME, target, pushOptions());
    Map<?, ?> inspected = Json.mapper().readValue(
        run("skopeo", "inspect", "--tls-verify=false", "docker://" + target), Map.class);
    assertEquals(busybox.digest().toString(), inspected.get("Digest"));
    assertEquals("amd64".equals(Platform.host().architecture()) ? "amd64" : Platform.host().architecture(),
        inspected.get("Architecture"));

    Reference copy = registry.ref("skopeo/copied:2");
    run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + target, "docker://" + copy);
    PullResult pulled = ImagePull.pull(Store.open(tmp.resolve("s")), copy, pullOptions());
    assertEquals(busybox.digest(), pulled.manifest().digest());
  }

  @Test
  void pull_dockerSchema2_pushedBySkopeo() throws Exception {
    requireTool("skopeo");
    Reference target = registry.ref("skopeo/v2s2:1");
    run("skopeo", "copy", "--dest-tls-verify=false", "--format", "v2s2",
        "oci:" + source.home() + ":" + BusyboxImage.NAME, "docker://" + target);
    String digest = run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + target).strip();

    Store store = Store.open(tmp.resolve("v2s2"));
    PullResult pulled = ImagePull.pull(store, target, pullOptions());
    assertEquals(digest, pulled.manifest().digest().toString());
    assertEquals(MediaType.DOCKER_MANIFEST, pulled.manifest().mediaType());
    Manifest manifest = store.manifest(pulled.manifest().digest());
    assertEquals(MediaType.DOCKER_CONFIG, manifest.config().mediaType());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, manifest.layers().get(0).mediaType());
    // The config (the image ID) is the same document whatever the manifest's format.
    assertEquals(source.manifest(busybox.digest()).config().digest(), manifest.config().digest());
    assertTrue(store.fsck().problems().isEmpty(), store.fsck().toString());
  }

  @Test
  void pull_index_picksTheHostPlatform_andArm64MeansV8() throws Exception {
    Reference target = registry.ref("multi/busybox:1");
    Descriptor[] platforms = indexOfTwoPlatforms(source, Reference.parse("multi/busybox:1"));
    ImagePush.push(source, Reference.parse("multi/busybox:1"), target, pushOptions());

    Store store = Store.open(tmp.resolve("multi"));
    PullResult amd64 = ImagePull.pull(store, target, pullOptions().withPlatform(Platform.of("linux", "amd64")));
    assertEquals(platforms[0].digest(), amd64.manifest().digest());
    assertTrue(amd64.indexDigest().isPresent());
    assertEquals(amd64.indexDigest().get().toString(),
        store.require(target).annotations().get(PullResult.INDEX_DIGEST));
    if (Platform.host().architecture().equals("amd64")) {
      assertEquals(platforms[0].digest(), ImagePull.pull(Store.open(tmp.resolve("host")), target,
          pullOptions()).manifest().digest());
    }

    // The index says arm64/v8; asking for plain arm64 finds it.
    PullResult arm = ImagePull.pull(Store.open(tmp.resolve("arm")), target,
        pullOptions().withPlatform(Platform.of("linux", "arm64")));
    assertEquals(platforms[1].digest(), arm.manifest().digest());
    assertThrows(dev.minke.registry.PlatformNotFoundException.class, () -> ImagePull.pull(
        Store.open(tmp.resolve("s390x")), target, pullOptions().withPlatform(Platform.of("linux", "s390x"))));
  }

  @Test
  void pull_indexPushedBySkopeoAll() throws Exception {
    requireTool("skopeo");
    Reference local = Reference.parse("multi/skopeo:1");
    Descriptor[] platforms = indexOfTwoPlatforms(source, local);
    Reference target = registry.ref("multi/skopeo:1");
    run("skopeo", "copy", "--all", "--dest-tls-verify=false", "oci:" + source.home() + ":" + local,
        "docker://" + target);
    PullResult pulled = ImagePull.pull(Store.open(tmp.resolve("all")), target,
        pullOptions().withPlatform(Platform.of("linux", "amd64")));
    assertEquals(platforms[0].digest(), pulled.manifest().digest());
  }

  @Test
  void pull_unknownTag_namesTheReference() {
    Reference missing = registry.ref("test/busybox:no-such-tag");
    ManifestUnknownException e = assertThrows(ManifestUnknownException.class,
        () -> ImagePull.pull(Store.open(tmp.resolve("u")), missing, pullOptions()));
    assertEquals(missing, e.reference());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertEquals(404, e.status());
  }

  @Test
  void pull_throughMirror_makesDockerHubNamesWorkOffline() {
    ImagePush.push(source, BusyboxImage.NAME, registry.ref("library/busybox:latest"), pushOptions());
    Store store = Store.open(tmp.resolve("mirror"));
    String before = System.getProperty("minke.registryMirror");
    System.setProperty("minke.registryMirror", registry.url());
    try {
      // PullOptions.defaults() reads the mirror (MINKE_REGISTRY_MIRROR, else this property).
      PullResult pulled = ImagePull.pull(store, Reference.parse("busybox"),
          PullOptions.defaults().withPolicy(PullPolicy.ALWAYS));
      assertEquals(busybox.digest(), pulled.manifest().digest());
      assertEquals(busybox.digest(), store.require(Reference.parse("busybox")).digest());
    } finally {
      if (before == null) {
        System.clearProperty("minke.registryMirror");
      } else {
        System.setProperty("minke.registryMirror", before);
      }
    }
  }

  @Test
  void push_mountsBlobsKnownInAnotherRepository() {
    Reference first = registry.ref("mount/a:1");
    ImagePush.push(source, BusyboxImage.NAME, first, pushOptions());
    Store store = Store.open(tmp.resolve("mount"));
    ImagePull.pull(store, first, pullOptions());
    PushResult second = ImagePush.push(store, first, registry.ref("mount/b:1"), pushOptions());
    assertEquals(2, second.blobsMounted(), second.toString());
    assertEquals(0, second.bytesUploaded());
    assertEquals(busybox.digest(),
        ImagePull.pull(Store.open(tmp.resolve("mount2")), registry.ref("mount/b:1"), pullOptions()).manifest().digest());
  }

  @Test
  void push_inChunks_pullsBackTheSameImage() {
    Reference target = registry.ref("chunked/busybox:1");
    PushOptions chunked = PushOptions.defaults().withRegistry(registryOptions().withChunking(1024, 256 * 1024));
    PushResult pushed = ImagePush.push(source, BusyboxImage.NAME, target, chunked);
    assertTrue(pushed.bytesUploaded() > 1024);
    PullResult pulled = ImagePull.pull(Store.open(tmp.resolve("chunked")), target, pullOptions());
    assertEquals(busybox.digest(), pulled.manifest().digest());
  }

  @Test
  void pullPolicy_neverAndMissing() {
    Reference target = registry.ref("policy/busybox:1");
    ImagePush.push(source, BusyboxImage.NAME, target, pushOptions());
    Store store = Store.open(tmp.resolve("policy"));
    assertThrows(ImageNotFoundException.class,
        () -> ImagePull.pull(store, target, pullOptions().withPolicy(PullPolicy.NEVER)));
    assertEquals(2, ImagePull.pull(store, target, pullOptions().withPolicy(PullPolicy.MISSING)).blobsFetched());
    PullResult second = ImagePull.pull(store, target, pullOptions().withPolicy(PullPolicy.MISSING));
    assertTrue(second.upToDate());
    assertEquals(0, second.blobsPresent(), "the registry was not asked");
  }

  @Test
  void pull_corruptBlobInRegistry_isRefused_andTheStoreIsUnchanged() throws Exception {
    Reference target = registry.ref("corrupt/busybox:1");
    Store store = Store.open(tmp.resolve("corrupt-source"));
    BusyboxImage.make(store, Path.of("/bin/busybox"), 7); // Its own layer, so corrupting it harms no other test.
    ImagePush.push(store, BusyboxImage.NAME, target, pushOptions());
    Manifest manifest = store.manifest(store.require(BusyboxImage.NAME).digest());
    Digest layer = manifest.layers().get(0).digest();
    Path data = shared.resolve("registry/storage/docker/registry/v2/blobs/sha256")
        .resolve(layer.hex().substring(0, 2)).resolve(layer.hex()).resolve("data");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(data, bytes);

    Store empty = Store.open(tmp.resolve("corrupt"));
    String before = dev.minke.build.TestStores.snapshotOf(empty);
    assertThrows(RegistryContentException.class, () -> ImagePull.pull(empty, target, pullOptions()));
    assertEquals(before, dev.minke.build.TestStores.snapshotOf(empty));
    assertTrue(empty.images().resolve(target).isEmpty());
  }

  /**
   * Writes an index of two platforms into {@code store} under {@code name}: the busybox manifest
   * as linux/amd64 and a copy whose config says arm64 as linux/arm64/v8. Returns both descriptors.
   */
  static Descriptor[] indexOfTwoPlatforms(Store store, Reference name) {
    Manifest amd64 = store.manifest(busybox.digest());
    ImageConfig config = store.config(amd64);
    try (Operation operation = store.operation()) {
      Map<String, Object> armConfig = Json.mapper().convertValue(config, Map.class);
      armConfig.put("architecture", "arm64");
      armConfig.put("variant", "v8");
      BlobStore.Written armConfigBlob = operation.write(Json.bytes(armConfig));
      Descriptor armManifest = operation.putManifest(Manifest.oci(
          Descriptor.of(MediaType.OCI_CONFIG, armConfigBlob.digest(), armConfigBlob.sizeBytes()), amd64.layers()));
      Descriptor amdEntry = busybox.withAnnotations(Map.of()).withPlatform(Platform.of("linux", "amd64"));
      Descriptor armEntry = armManifest.withPlatform(new Platform("arm64", "linux", null, null, "v8"));
      byte[] indexBytes = Json.bytes(Index.oci(List.of(amdEntry, armEntry)));
      BlobStore.Written index = operation.write(indexBytes);
      store.images().tag(name, Descriptor.of(MediaType.OCI_INDEX, index.digest(), index.sizeBytes()));
      operation.commit();
      return new Descriptor[] {amdEntry, armEntry};
    }
  }

  static void requireTool(String tool) {
    assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool))),
        tool + " is not installed");
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
    assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    return output;
  }
}
