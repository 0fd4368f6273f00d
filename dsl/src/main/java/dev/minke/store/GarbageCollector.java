package dev.minke.store;

import dev.minke.os.FileTrees;

import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Removes what no image in the index needs: unreferenced blobs, snapshots of chains no image
 * has, and temp files of interrupted writes. Runs with the store's operation lock held
 * exclusively, so no build or load in another thread or JVM loses a blob it just wrote.
 */
final class GarbageCollector {
  private final Store store;

  GarbageCollector(Store store) {
    this.store = store;
  }

  GcReport collect() {
    // The index lock too: index writes stage their temp file in tmp/, which this empties.
    try (StoreLock.Lease lease = store.exclusive();
        StoreLock.Lease indexLease = store.images().lockWrites()) {
      References references = new References(store);
      Set<Digest> liveBlobs = references.reachableBlobs();
      int blobs = 0;
      long bytes = 0;
      for (Digest digest : store.blobs().list()) {
        if (!liveBlobs.contains(digest)) {
          bytes += store.blobs().size(digest);
          store.blobs().delete(digest);
          blobs++;
        }
      }
      Set<Digest> liveChains = liveChainIds(store, references.reachableConfigs());
      int snapshots = 0;
      for (Digest chainId : store.snapshots().list()) {
        if (!liveChains.contains(chainId)) {
          store.snapshots().delete(chainId);
          snapshots++;
        }
      }
      int scratch = deleteChildren(store.home().resolve("tmp"), name -> true)
          + deleteChildren(store.snapshots().dir(), name -> name.startsWith("unpack-"));
      return new GcReport(blobs, bytes, snapshots, scratch);
    } catch (IOException e) {
      throw new StoreIOException("collecting garbage in", store.home(), e);
    }
  }

  /** The chain IDs of every reachable image config. */
  static Set<Digest> liveChainIds(Store store, Set<Digest> configs) {
    Set<Digest> chains = new HashSet<>();
    for (Digest digest : configs) {
      try {
        // Unverified on purpose, as in References: a damaged config still names its layers.
        chains.addAll(Json.read(Files.readAllBytes(store.blobs().path(digest)), ImageConfig.class)
            .rootfs().chainIds());
      } catch (IOException | RuntimeException damaged) {
        // fsck reports it; its snapshots stay until the config is readable or gone.
      }
    }
    return chains;
  }

  private static int deleteChildren(Path dir, java.util.function.Predicate<String> selected) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (selected.test(entry.getFileName().toString())) {
          FileTrees.delete(entry);
          removed++;
        }
      }
    }
    return removed;
  }
}
