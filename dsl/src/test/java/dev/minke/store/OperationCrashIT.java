package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.cli.Main;
import dev.minke.os.Posix;
import dev.minke.registry.Reference;
import dev.minke.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 lands at random points of the store's operations as the {@code minke} command line runs
 * them: pull (from a local registry), build (a COPY and a RUN), container commit, tag and gc.
 * After every kill {@code minke fsck} passes and the same command succeeds when run again.
 *
 * <p>The operations take turns; a kill lands uniformly within the last measured run of the
 * same operation (JVM start-up included). {@code -Dminke.crashPoints=N} sets how many kills
 * (10), {@code -Dminke.crashSeed} repeats a run.
 */
class OperationCrashIT {
  private static final String DOCKERFILE = """
      FROM busybox
      ARG N
      COPY big.bin /big.bin
      RUN echo "$N" > /n && head -c 1000000 /big.bin > /head.bin
      """;

  /** One operation: what is done (not killed) before it, and its command line. */
  private enum Op { PULL, BUILD, COMMIT, TAG, GC }

  @TempDir Path dir;
  private TestRegistry registry;
  private Path home;
  private Set<String> cgroupsBefore = Set.of();

  @AfterEach
  void cleanUp() throws Exception {
    if (home != null) {
      minke("rm", "-f", "crashbox");
    }
    if (registry != null) {
      registry.close();
    }
    CliChild.removeNewCgroups(cgroupsBefore);
  }

  @Test
  void kill9_duringPullBuildCommitTagGc_fsckPassesAndRerunSucceeds() throws Exception {
    assumeTrue(TestRegistry.available() && Posix.isRoot() && Files.isExecutable(CliChild.UNSHARE),
        "needs docker-registry, root and util-linux unshare");
    int points = Integer.getInteger("minke.crashPoints", 10);
    long seed = Long.getLong("minke.crashSeed", System.nanoTime());
    Random random = new Random(seed);
    cgroupsBefore = CliChild.cgroups();
    home = dir.resolve("store");
    Store store = TestStores.withBusybox(home);
    registry = TestRegistry.start(dir.resolve("registry"));
    String remote = pushRemoteImage();
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    Files.writeString(context.resolve("big.bin"), "");
    expectOk(minke("run", "--name", "crashbox", "busybox", "sh", "-c",
        "head -c 3000000 /dev/urandom > /made.bin"), "creating the container to commit");

    Map<Op, Long> lastMillis = new EnumMap<>(Op.class);
    Path log = dir.resolve("child.log");
    for (int point = 0; point < points; point++) {
      Op op = Op.values()[point % Op.values().length];
      List<String> command = prepare(op, point, remote, context, store);
      long delayMillis = (long) (random.nextDouble() * lastMillis.getOrDefault(op, 2500L));
      String where = "seed " + seed + ", kill " + (point + 1) + " of " + points + ": " + op + " after "
          + delayMillis + " ms";
      Files.writeString(log, "");
      Process child = CliChild.start(home, log, command);
      if (!child.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
        child.destroyForcibly(); // SIGKILL to the unshare we started; --kill-child passes it on.
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), where + ": child did not die");
      CliChild.removeNewCgroups(cgroupsBefore);
      expectOk(minke("fsck"), where + ", fsck after the kill\n" + Files.readString(log));

      Files.writeString(log, "");
      long started = System.nanoTime();
      Process rerun = CliChild.start(home, log, command);
      ChildJvm.awaitSuccess(rerun, log, 300);
      lastMillis.put(op, (System.nanoTime() - started) / 1_000_000);
      expectOk(minke("fsck"), where + ", fsck after the rerun");
      verify(op, point, remote, Store.open(home));
    }
    expectOk(minke("gc"), "final gc");
    FsckReport last = Store.open(home).fsck();
    assertTrue(last.ok(), last.problems().toString());
    assertEquals(List.of(), last.notes(), "seed " + seed);
  }

  /** Sets the stage for one kill (never killed itself) and returns the command to kill. */
  private List<String> prepare(Op op, int point, String remote, Path context, Store store) throws Exception {
    switch (op) {
      case PULL -> {
        minke("rmi", remote);
        minke("gc"); // so that the pull downloads every layer again
        return List.of("pull", remote);
      }
      case BUILD -> {
        // New content and a new ARG: the COPY and the RUN both miss the cache.
        Files.write(context.resolve("big.bin"), StoreChild.random(4 << 20, point));
        return List.of("build", "-t", "crash/build", "--build-arg", "N=" + point, "--progress", "plain",
            context.toString());
      }
      case COMMIT -> {
        minke("rmi", "crash/commit");
        minke("gc");
        return List.of("commit", "crashbox", "crash/commit");
      }
      case TAG -> {
        return List.of("tag", "busybox", "crash/tag:" + point);
      }
      default -> {
        // Garbage for gc to collect: an image with big layers of its own, untagged.
        StoreChild.writeImage(store, "garbage", point);
        minke("rmi", "garbage:" + point);
        return List.of("gc");
      }
    }
  }

  private void verify(Op op, int point, String remote, Store store) {
    Reference expected = switch (op) {
      case PULL -> Reference.parse(remote);
      case BUILD -> Reference.parse("crash/build");
      case COMMIT -> Reference.parse("crash/commit");
      case TAG -> Reference.parse("crash/tag:" + point);
      case GC -> BusyboxImage.NAME;
    };
    assertTrue(store.images().resolve(expected).isPresent(), op + ": " + expected + " is missing");
    if (op == Op.GC) {
      assertTrue(store.images().resolve(Reference.parse("garbage:" + point)).isEmpty());
    }
  }

  /** busybox plus two big layers, pushed to the local registry; returns its reference. */
  private String pushRemoteImage() {
    Store source = Store.open(dir.resolve("source"));
    BusyboxImage.make(source, Path.of("/bin/busybox"), 0);
    try {
      StoreChild.writeImage(source, "remote", 0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Reference target = registry.ref("crash/remote:1");
    ImagePush.push(source, Reference.parse("remote:0"), target, PushOptions.defaults());
    return target.toString();
  }

  private record Result(int code, String output) {}

  /** {@code minke ARGS} in this JVM, on this test's store. */
  private Result minke(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    System.setProperty("minke.home", home.toString());
    try {
      int code = Main.run(List.of(args), print, print);
      return new Result(code, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.clearProperty("minke.home");
    }
  }

  private static void expectOk(Result result, String what) {
    assertEquals(0, result.code(), what + ":\n" + result.output());
  }
}
