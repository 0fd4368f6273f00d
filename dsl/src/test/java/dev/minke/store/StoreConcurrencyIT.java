package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Descriptor;
import dev.minke.registry.Reference;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs build and tag into one store at once, sharing a layer: nothing is lost. */
class StoreConcurrencyIT {
  @TempDir Path dir;

  @Test
  void twoJvms_writingAndTaggingAtOnce_bothFinishNothingLost() throws Exception {
    Path home = dir.resolve("store");
    int count = Integer.getInteger("minke.concurrencyImages", 6);
    Process a = ChildJvm.start(home, "left", 0, count, dir.resolve("a.log"));
    Process b = ChildJvm.start(home, "right", 0, count, dir.resolve("b.log"));
    // This JVM tags and collects garbage at the same time.
    Store store = Store.open(home);
    for (int i = 0; i < 40; i++) {
      store.images().tag(Reference.parse("here:" + i), StoreChild.writeImage(store, "here", i % 2));
      if (i % 10 == 0) {
        store.gc();
      }
    }
    ChildJvm.awaitSuccess(a, dir.resolve("a.log"), 300);
    ChildJvm.awaitSuccess(b, dir.resolve("b.log"), 300);
    for (String prefix : new String[] {"left", "right"}) {
      for (int i = 0; i < count; i++) {
        Optional<Descriptor> tagged = store.images().resolve(Reference.parse(prefix + ":" + i));
        assertTrue(tagged.isPresent(), prefix + ":" + i + " was lost");
      }
    }
    for (int i = 0; i < 40; i++) {
      assertTrue(store.images().resolve(Reference.parse("here:" + i)).isPresent(), "here:" + i + " was lost");
    }
    FsckReport report = store.fsck();
    assertTrue(report.ok(), report.problems().toString());
    store.gc();
    assertTrue(store.fsck().ok());
    // The shared layer is stored once: left, right and here all point at the same blob.
    Descriptor left = store.require(Reference.parse("left:0"));
    Descriptor right = store.require(Reference.parse("right:0"));
    assertEquals(store.manifest(left.digest()).layers().get(0), store.manifest(right.digest()).layers().get(0));
  }
}
