package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.error.MinkeException;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.LayerEntry;
import dev.minke.image.Manifest;
import dev.minke.os.FileTrees;
import dev.minke.registry.ManifestUnknownException;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryClient;
import dev.minke.registry.RegistryOptions;
import dev.minke.registry.TestRegistry;
import dev.minke.registry.testing.FaultProxy;
import dev.minke.registry.testing.RunningRegistry;
import dev.minke.registry.testing.TestRegistries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faulty-registry soak (issue 9): round after round, a random fault on a random request
 * (manifest, config or layer GET, blob HEAD, upload POST/PATCH/PUT, manifest PUT) during a random
 * pull or push through a {@link FaultProxy}, with the client's normal retry settings. Each round
 * either ends in exactly the right image or fails with a {@link MinkeException} naming the
 * registry; either way the store passes fsck, has no temp file left and no name pointing at an
 * incomplete image, and the registry's tag names a complete image or nothing.
 *
 * <p>CI runs {@value #CI_ROUNDS} rounds. The long form: {@code -Dminke.faultRounds=500}; a run's
 * seed is printed and {@code -Dminke.faultSeed=N} repeats its choices (see TESTING.md, "Faulty
 * registry").
 */
class RegistryFaultSoakIT {
  static final int CI_ROUNDS = 20;
  /** The wait for response headers: shorter than the default 60 s so that a delay can exceed it cheaply. */
  static final int TIMEOUT_MILLIS = 3000;
  private static final int RETRIES = RegistryOptions.defaults().retries();

  @TempDir static Path dir;
  private static TestRegistries registries;
  private static RunningRegistry registry;
  private static FaultProxy proxy;
  private static Path noConfig;
  /** Holds the image and its base; pushes from here try no mounts. */
  private static Store source;
  /** The same images, plus the base under the proxy's name: pushes from here mount. */
  private static Store mountingSource;
  private static Descriptor image;
  private static Descriptor base;
  private static Manifest imageManifest;

  private static final Reference IMAGE = Reference.parse("soak/image:1");
  private static final Reference BASE = Reference.parse("soak/base:1");

  @BeforeAll
  static void start() {
    assumeTrue(TestRegistry.available(), "docker-registry is not installed");
    registries = TestRegistries.create();
    registry = registries.open();
    proxy = registries.faultProxy();
    try {
      noConfig = Files.writeString(dir.resolve("empty-docker-config.json"), "{}");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    source = Store.open(dir.resolve("source"));
    makeImages(source);
    mountingSource = Store.open(dir.resolve("mounting-source"));
    makeImages(mountingSource);
    image = source.require(IMAGE);
    base = source.require(BASE);
    imageManifest = source.manifest(image.digest());
    assertEquals(image, mountingSource.require(IMAGE), "the images are made the same way in both stores");
    // The registry has both, put there directly (not through the proxy).
    ImagePush.push(source, IMAGE, direct("soak/image:1"), PushOptions.defaults().withRegistry(options()));
    ImagePush.push(source, BASE, direct("soak/base:1"), PushOptions.defaults().withRegistry(options()));
    mountingSource.images().tag(throughProxy("soak/base:1"), base);
  }

  /**
   * busybox (one ~1 MB layer) as the base, and on it the image: three more layers, one of
   * 300 KB that does not compress (several upload chunks), two tiny ones.
   */
  private static void makeImages(Store store) {
    BusyboxImage.make(store, Path.of("/bin/busybox"), 0);
    byte[] noise = new byte[300 * 1024];
    new Random(42).nextBytes(noise);
    TestImages.addLayer(store, BusyboxImage.NAME, BASE, TestImages.fileLayer("etc/soak", "base\n"));
    TestImages.addLayer(store, BASE, IMAGE, List.of(LayerEntry.file("noise.bin", noise)));
    TestImages.addLayer(store, IMAGE, IMAGE, TestImages.fileLayer("etc/soak-2", "two\n"));
    TestImages.addLayer(store, IMAGE, IMAGE, TestImages.fileLayer("etc/soak-3", "three\n"));
  }

  @AfterAll
  static void stop() {
    if (registries != null) {
      registries.close();
    }
  }

  private static RegistryOptions options() {
    return RegistryOptions.defaults().withDockerConfigFile(noConfig).withMirror(null).withTimeoutMillis(TIMEOUT_MILLIS);
  }

  private static Reference throughProxy(String repositoryAndTag) {
    return Reference.parse(proxy.hostPort() + "/" + repositoryAndTag);
  }

  private static Reference direct(String repositoryAndTag) {
    return Reference.parse(registry.reference(repositoryAndTag));
  }

  @Test
  void soak() throws IOException {
    long seed = Long.getLong("minke.faultSeed", new Random().nextLong());
    int rounds = Integer.getInteger("minke.faultRounds", CI_ROUNDS);
    System.out.println("RegistryFaultSoakIT: " + rounds + " rounds, seed " + seed + " (repeat with -Dminke.faultSeed="
        + seed + ")");
    Random random = new Random(seed);
    FaultPlan.Sizes sizes = new FaultPlan.Sizes(image.size(), imageManifest.config().size(),
        imageManifest.layers().stream().map(Descriptor::size).toList());
    Map<String, int[]> tally = new TreeMap<>();
    long started = System.nanoTime();
    for (int round = 1; round <= rounds; round++) {
      FaultPlan plan = FaultPlan.random(random, sizes, RETRIES);
      proxy.clearFaults();
      proxy.clearLog();
      Path roundDir = dir.resolve("round-" + round);
      long roundStart = System.nanoTime();
      boolean succeeded;
      try {
        succeeded = plan.operation().pull ? pullRound(plan, roundDir, round) : pushRound(plan, roundDir, round);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("round " + round + " of seed " + seed + " (" + plan + ") went wrong: " + e.getMessage()
            + "\nproxy log:" + proxyLog(), e);
      }
      tally.computeIfAbsent(plan.kind(), k -> new int[2])[succeeded ? 0 : 1]++;
      System.out.println("  round " + round + ": " + plan + ": " + (succeeded ? "succeeded" : "failed cleanly") + ", "
          + (System.nanoTime() - roundStart) / 1_000_000 + " ms");
      FileTrees.delete(roundDir);
    }
    StringBuilder report = new StringBuilder("RegistryFaultSoakIT: " + rounds + " rounds, seed " + seed + ", "
        + (System.nanoTime() - started) / 1_000_000_000 + " s; per fault: succeeded / failed cleanly");
    tally.forEach((kind, counts) -> report.append("\n  ").append(kind).append(": ").append(counts[0]).append(" / ")
        .append(counts[1]));
    System.out.println(report);
  }

  // --- pulls

  private boolean pullRound(FaultPlan plan, Path roundDir, int round) {
    Store store = Store.open(roundDir.resolve("store"));
    Reference target = plan.byDigest()
        ? new Reference(proxy.hostPort(), IMAGE.repository(), null, image.digest()) : throughProxy("soak/image:1");
    switch (plan.operation()) {
      case PULL_HAVING_SOME -> copyImage(source, base, store, BASE);
      case PULL_RETAG -> copyImage(source, base, store, throughProxy("soak/image:1"));
      default -> { }
    }
    aim(plan);
    String before = TestStores.snapshotOf(store);
    Descriptor tagBefore = store.images().resolve(throughProxy("soak/image:1")).orElse(null);
    boolean succeeded;
    try {
      PullResult pulled = ImagePull.pull(store, target, PullOptions.defaults().withPolicy(PullPolicy.ALWAYS)
          .withRegistry(options()));
      assertEquals(image.digest(), pulled.manifest().digest(), "the pulled manifest");
      assertEquals(image.digest(), store.require(target).digest(), "what the name points at");
      for (Descriptor blob : blobsOf(imageManifest)) {
        assertTrue(store.blobs().has(blob.digest()), "the store has " + blob.digest());
      }
      succeeded = true;
    } catch (MinkeException e) {
      assertClear(e, plan);
      assertEquals(before, TestStores.snapshotOf(store), "the failed pull left the store as it was");
      assertEquals(tagBefore, store.images().resolve(throughProxy("soak/image:1")).orElse(null));
      succeeded = false;
    }
    assertSound(store);
    return succeeded;
  }

  /** Puts an image of one store into another, as a pull of it would have. */
  private static void copyImage(Store from, Descriptor manifest, Store to, Reference name) {
    try (dev.minke.store.Operation operation = to.operation()) {
      Manifest m = from.manifest(manifest.digest());
      List<Descriptor> blobs = new ArrayList<>(blobsOf(m));
      blobs.add(manifest);
      for (Descriptor blob : blobs) {
        try (var in = from.blobs().open(blob.digest())) {
          operation.writeExpecting(in, blob.digest(), "the source store");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      to.images().tag(name, manifest);
      operation.commit();
    }
  }

  private static List<Descriptor> blobsOf(Manifest manifest) {
    List<Descriptor> blobs = new ArrayList<>(manifest.layers());
    blobs.add(manifest.config());
    return blobs;
  }

  // --- pushes

  private boolean pushRound(FaultPlan plan, Path roundDir, int round) {
    String repository = "soak/push-" + round;
    Store from = plan.operation() == FaultPlan.Operation.PUSH_MOUNT ? mountingSource : source;
    Digest tagBefore = null;
    if (plan.operation() == FaultPlan.Operation.PUSH_HAVING_SOME) {
      tagBefore = ImagePush.push(source, BASE, direct(repository + ":1"), PushOptions.defaults()
          .withRegistry(options())).digest();
    }
    RegistryOptions options = plan.chunked() ? options().withChunking(64 * 1024, 64 * 1024) : options();
    String sourceBefore = TestStores.snapshotOf(from);
    aim(plan);
    boolean succeeded;
    try {
      PushResult pushed = ImagePush.push(from, IMAGE, throughProxy(repository + ":1"),
          PushOptions.defaults().withRegistry(options));
      assertEquals(image.digest(), pushed.digest(), "the pushed digest");
      assertEquals(image.digest(), pullBack(repository, roundDir), "what the registry's tag names");
      succeeded = true;
    } catch (MinkeException e) {
      assertClear(e, plan);
      // The tag names what it named before, or (the manifest went through, its answer did not) the image.
      Digest after = pullBackIfTagged(repository, roundDir);
      assertTrue(after == null ? tagBefore == null : after.equals(tagBefore) || after.equals(image.digest()),
          "after a failed push the tag names " + after + ", before it named " + tagBefore);
      succeeded = false;
    }
    assertEquals(sourceBefore, TestStores.snapshotOf(from), "a push changes nothing in the source store");
    assertSound(from);
    return succeeded;
  }

  /** Pulls the pushed tag straight from the registry (every blob verified); returns its digest. */
  private static Digest pullBack(String repository, Path roundDir) {
    Store store = Store.open(roundDir.resolve("pulled-back"));
    PullResult pulled = ImagePull.pull(store, direct(repository + ":1"), PullOptions.defaults()
        .withPolicy(PullPolicy.ALWAYS).withRegistry(options()));
    assertSound(store);
    return pulled.manifest().digest();
  }

  private static Digest pullBackIfTagged(String repository, Path roundDir) {
    try {
      RegistryClient.create(options()).manifest(direct(repository + ":1"));
    } catch (ManifestUnknownException notTagged) {
      return null;
    }
    return pullBack(repository, roundDir);
  }

  // --- the fault and the checks

  /** Sets the plan's fault on the proxy. */
  private static void aim(FaultPlan plan) {
    String path = switch (plan.target()) {
      case CONFIG_GET -> "/blobs/" + imageManifest.config().digest() + "$";
      case LAYER_GET -> "/blobs/" + imageManifest.layers().get(plan.layer()).digest() + "$";
      default -> plan.target().path;
    };
    proxy.failNext(plan.target().method, Pattern.compile(path), plan.fault(), plan.times());
  }

  /**
   * A failure must be a Minke error that names the registry, with a hint, and no stray
   * programming error below it; and the retries must have absorbed what they are there for.
   */
  private static void assertClear(MinkeException e, FaultPlan plan) {
    if (plan.mustSucceed(RETRIES)) {
      throw new AssertionError("the retries should have absorbed this fault, but: " + e, e);
    }
    assertTrue(e.getMessage().contains(proxy.hostPort()), "the error names the registry: " + e.getMessage());
    assertTrue(!e.hint().isBlank(), "the error has a hint: " + e.getMessage());
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NullPointerException || cause instanceof IllegalStateException
          || cause instanceof ClassCastException || cause instanceof IndexOutOfBoundsException) {
        fail("a programming error under the failure: " + cause, e);
      }
    }
  }

  /** fsck passes (every blob hashes to its name, every name's image complete) and tmp/ is empty. */
  private static void assertSound(Store store) {
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report + ": " + report.problems());
    assertEquals(List.of(), report.notes(), "nothing left in tmp/");
    try (var tmp = Files.list(store.home().resolve("tmp"))) {
      assertEquals(List.of(), tmp.toList(), "nothing left in tmp/");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String proxyLog() {
    StringBuilder text = new StringBuilder();
    for (FaultProxy.Exchange x : proxy.requests()) {
      text.append("\n  ").append(x.method()).append(' ').append(x.path()).append(" range=").append(x.header("Range"))
          .append(" -> ").append(x.status()).append(' ').append(x.responseBytes()).append(" B")
          .append(x.fault() == null ? "" : " fault " + x.fault());
    }
    return text.toString();
  }
}
