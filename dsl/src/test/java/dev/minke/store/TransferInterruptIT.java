package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.image.Digest;
import dev.minke.os.Interruption;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryOptions;
import dev.minke.registry.TestRegistry;
import dev.minke.registry.testing.Fault;
import dev.minke.registry.testing.FaultProxy;
import dev.minke.registry.testing.TestRegistries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting a pull whose layer arrives slowly (a {@link FaultProxy} in slow-body mode): the
 * transfer is aborted and the store holds nothing of the image, not even a temp file; the next
 * pull gets it.
 */
class TransferInterruptIT {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static TestRegistries registries;
  private static FaultProxy proxy;
  private static Store source;
  private static Digest layer;
  private static Path noConfig;

  @BeforeAll
  static void start() {
    assumeTrue(TestRegistry.available(), "docker-registry is not installed");
    registries = TestRegistries.create();
    proxy = registries.faultProxy();
    source = Store.open(shared.resolve("source"));
    Digest busybox = BusyboxImage.make(source, Path.of("/bin/busybox"), 0).manifestDescriptor().digest();
    layer = source.manifest(busybox).layers().get(0).digest();
    noConfig = shared.resolve("empty-config.json");
    try {
      Files.writeString(noConfig, "{}");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ImagePush.push(source, BusyboxImage.NAME, Reference.parse(registries.open().reference("interrupt/busybox:1")),
        PushOptions.defaults().withRegistry(options()));
  }

  @AfterAll
  static void stop() {
    if (registries != null) {
      registries.close();
    }
  }

  private static RegistryOptions options() {
    return RegistryOptions.defaults().withDockerConfigFile(noConfig).withMirror(null).withRetries(3, 10)
        .withTimeoutMillis(60_000);
  }

  @Test
  void pull_interruptedDuringASlowLayer_leavesNothing_andPullingAgainWorks() throws Exception {
    Store store = Store.open(tmp.resolve("store"));
    Reference reference = Reference.parse(proxy.hostPort() + "/interrupt/busybox:1");
    proxy.failNext("/blobs/" + layer + "$", Fault.slowBody(4096, Duration.ofMillis(100)), 1);
    CountDownLatch layerArriving = new CountDownLatch(1);
    List<TransferEvent.Kind> layerEvents = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    PullOptions options = PullOptions.defaults().withPolicy(PullPolicy.ALWAYS).withRegistry(options()).withJobs(2)
        .withListener(event -> {
          if (event.digest().equals(layer)) {
            layerEvents.add(event.kind());
          }
          if (event.digest().equals(layer) && event.kind() == TransferEvent.Kind.PROGRESS) {
            layerArriving.countDown();
          }
        });

    Interruption.Outcome outcome = Interruption.interruptWhen(layerArriving,
        () -> ImagePull.pull(store, reference, options));

    TransferInterruptedException e = assertInstanceOf(TransferInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet(), "the interrupt status is set again");
    assertEquals(TransferInterruptedException.Direction.PULL, e.direction());
    assertTrue(e.getMessage().startsWith("pull of " + reference + " interrupted"), e.getMessage());
    assertTrue(!layerEvents.contains(TransferEvent.Kind.DONE), "the layer's transfer was aborted: " + layerEvents);
    assertTrue(store.images().resolve(reference).isEmpty(), "no tag");
    assertEquals(List.of(), filesUnder(store.home().resolve("blobs")), "no blob, no temp file");
    assertEquals(List.of(), filesUnder(store.home().resolve("tmp")), "no temp file");
    assertTrue(store.fsck().ok(), store.fsck().toString());

    proxy.clearFaults();
    PullResult again = ImagePull.pull(store, reference, PullOptions.defaults().withPolicy(PullPolicy.ALWAYS)
        .withRegistry(options()));
    assertTrue(store.images().resolve(reference).isPresent());
    assertEquals(2, again.blobsFetched(), again.toString());
  }

  @Test
  void push_interruptedWhileTheRegistryIsSlow_writesNoTag() throws Exception {
    Reference target = Reference.parse(proxy.hostPort() + "/interrupt/pushed:1");
    proxy.failNext("PUT", "/blobs/uploads/", Fault.delay(Duration.ofMinutes(5)), 2);
    CountDownLatch uploading = new CountDownLatch(1);
    PushOptions options = PushOptions.defaults().withRegistry(options()).withListener(event -> {
      if (event.kind() == TransferEvent.Kind.STARTED) {
        uploading.countDown();
      }
    });

    Interruption.Outcome outcome = Interruption.interruptWhen(uploading,
        () -> ImagePush.push(source, BusyboxImage.NAME, target, options));

    TransferInterruptedException e = assertInstanceOf(TransferInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet(), "the interrupt status is set again");
    assertEquals(TransferInterruptedException.Direction.PUSH, e.direction());
    assertTrue(e.getMessage().startsWith("push to " + target + " interrupted"), e.getMessage());
    assertTrue(proxy.requests().stream().noneMatch(x -> x.method().equals("PUT") && x.path().contains("/manifests/")),
        "no manifest was put");
    proxy.clearFaults();
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
