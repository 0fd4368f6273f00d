package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.registry.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that writes into the store at random points: the store must always pass fsck, and
 * the work must succeed when run again. {@code -Dminke.crashPoints=N} sets how many kills (5).
 */
class StoreCrashIT {
  @TempDir Path dir;

  @Test
  void kill9_atRandomPoints_storeStaysConsistentAndRerunSucceeds() throws Exception {
    int points = Integer.getInteger("minke.crashPoints", 5);
    long seed = Long.getLong("minke.crashSeed", System.nanoTime());
    Random random = new Random(seed);
    Path home = dir.resolve("store");
    Store.open(home);
    Path log = dir.resolve("child.log");
    for (int point = 0; point < points; point++) {
      String context = "seed " + seed + ", kill " + (point + 1) + " of " + points;
      Files.writeString(log, "");
      Process child = ChildJvm.start(home, "crash", 0, 1000, log);
      long delayMillis = 300 + random.nextInt(3000);
      boolean exitedEarly = child.waitFor(delayMillis, TimeUnit.MILLISECONDS);
      assertTrue(!exitedEarly, context + ": child exited early:\n" + Files.readString(log));
      child.destroyForcibly(); // SIGKILL to the process we started, by its handle.
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), context + ": child did not die");

      FsckReport afterKill = Store.open(home).fsck();
      assertTrue(afterKill.ok(), context + " after " + delayMillis + " ms: " + afterKill.problems()
          + "\n" + Files.readString(log));

      Files.writeString(log, "");
      Process rerun = ChildJvm.start(home, "crash", 0, 3, log);
      ChildJvm.awaitSuccess(rerun, log, 180);
      Store store = Store.open(home);
      FsckReport afterRerun = store.fsck();
      assertTrue(afterRerun.ok(), context + ": " + afterRerun.problems());
      for (int i = 0; i < 3; i++) {
        assertTrue(store.images().resolve(Reference.parse("crash:" + i)).isPresent(), context);
      }
    }
    Store store = Store.open(home);
    store.gc();
    FsckReport last = store.fsck();
    assertTrue(last.ok(), last.problems().toString());
    assertEquals(0, last.notes().size(), last.notes().toString());
  }
}
