package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.image.Descriptor;
import dev.minke.image.Manifest;
import dev.minke.os.Posix;
import dev.minke.registry.Reference;
import dev.minke.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs pull and build into one store at once, from the same base image with the same RUN
 * steps (so the same cache keys and snapshots): both finish, fsck passes, no tag is lost and
 * every tag names a whole image. {@code -Dminke.concurrencyRounds=N} sets the rounds (2) each
 * JVM runs: pull, build with a round-specific ARG, tag.
 */
class BuildPullConcurrencyIT {
  private static final String DOCKERFILE = """
      FROM busybox
      ARG ROUND
      COPY data.bin /data.bin
      RUN echo "$ROUND" > /round && head -c 500000 /data.bin > /head.bin
      RUN cat /round /round > /twice
      """;

  @TempDir Path dir;
  private TestRegistry registry;
  private Set<String> cgroupsBefore = Set.of();

  @AfterEach
  void cleanUp() throws Exception {
    if (registry != null) {
      registry.close();
    }
    CliChild.removeNewCgroups(cgroupsBefore);
  }

  @Test
  void twoJvms_pullingAndBuildingTheSameStepsAtOnce_bothFinishNothingLost() throws Exception {
    assumeTrue(TestRegistry.available() && Posix.isRoot() && Files.isExecutable(CliChild.UNSHARE),
        "needs docker-registry, root and util-linux unshare");
    int rounds = Integer.getInteger("minke.concurrencyRounds", 2);
    cgroupsBefore = CliChild.cgroups();
    Path home = dir.resolve("store");
    TestStores.withBusybox(home);
    registry = TestRegistry.start(dir.resolve("registry"));
    Store source = Store.open(dir.resolve("source"));
    BusyboxImage.make(source, Path.of("/bin/busybox"), 0);
    StoreChild.writeImage(source, "remote", 0);
    String remote = registry.ref("conc/remote:1").toString();
    ImagePush.push(source, Reference.parse("remote:0"), Reference.parse(remote), PushOptions.defaults());
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    Files.write(context.resolve("data.bin"), StoreChild.random(2 << 20, 7));

    List<Process> children = new ArrayList<>();
    for (String side : List.of("left", "right")) {
      children.add(CliChild.start(home, dir.resolve(side + ".log"), CliScript.class.getName(),
          script(side, rounds, remote, context)));
    }
    ChildJvm.awaitSuccess(children.get(0), dir.resolve("left.log"), 600);
    ChildJvm.awaitSuccess(children.get(1), dir.resolve("right.log"), 600);

    Store store = Store.open(home);
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report.problems().toString());
    assertTrue(store.images().resolve(Reference.parse(remote)).isPresent(), remote + " was lost");
    for (int round = 0; round < rounds; round++) {
      Descriptor left = tagged(store, "left/app:" + round);
      Descriptor right = tagged(store, "right/app:" + round);
      // Same base, same steps: the base layers are shared, stored once.
      Manifest leftManifest = store.manifest(left.digest());
      Manifest rightManifest = store.manifest(right.digest());
      assertEquals(leftManifest.layers().get(0), rightManifest.layers().get(0));
      assertEquals(leftManifest.layers().size(), rightManifest.layers().size());
    }
    store.gc();
    assertTrue(store.fsck().ok(), store.fsck().problems().toString());
  }

  private static List<String> script(String side, int rounds, String remote, Path context) {
    List<String> args = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      if (!args.isEmpty()) {
        args.add("--then");
      }
      args.addAll(List.of("pull", remote, "--then",
          "build", "-t", side + "/app:" + round, "--build-arg", "ROUND=" + round, "--progress", "plain",
          context.toString(), "--then",
          "tag", side + "/app:" + round, side + "/latest"));
    }
    return args;
  }

  private static Descriptor tagged(Store store, String reference) {
    Optional<Descriptor> descriptor = store.images().resolve(Reference.parse(reference));
    assertTrue(descriptor.isPresent(), reference + " was lost");
    // The manifest, config and every layer are there and match their digests.
    Manifest manifest = store.manifest(descriptor.get().digest());
    for (Descriptor layer : manifest.layers()) {
      assertTrue(store.blobs().has(layer.digest()), reference + ": layer " + layer.digest() + " is missing");
    }
    return descriptor.get();
  }
}
