package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Walks from the store's index to every blob it keeps alive: manifests, nested indexes, configs
 * and layers. What it does not reach is garbage.
 */
final class References {
  private final Store store;

  References(Store store) {
    this.store = store;
  }

  private final Set<Digest> configs = new HashSet<>();

  /** The config blobs found by the last {@link #reachableBlobs()} walk. */
  Set<Digest> reachableConfigs() {
    return configs;
  }

  /**
   * Every blob digest reachable from index.json, plus the layers build cache entries name (the
   * cache outlives the images built from it, as BuildKit's does); missing or unreadable blobs are
   * skipped.
   */
  Set<Digest> reachableBlobs() {
    Set<Digest> reached = new HashSet<>(store.cache().layerDigests());
    configs.clear();
    Deque<Descriptor> pending = new ArrayDeque<>(store.images().read().manifests());
    while (!pending.isEmpty()) {
      Descriptor d = pending.pop();
      if (!reached.add(d.digest()) || !store.blobs().has(d.digest())) {
        continue;
      }
      try {
        if (MediaType.isIndex(d.mediaType())) {
          pending.addAll(Json.read(readUnverified(d.digest()), Index.class).manifests());
        } else if (MediaType.isManifest(d.mediaType())) {
          Manifest manifest = Json.read(readUnverified(d.digest()), Manifest.class);
          reached.add(manifest.config().digest());
          configs.add(manifest.config().digest());
          manifest.layers().forEach(layer -> reached.add(layer.digest()));
        }
      } catch (java.io.IOException | RuntimeException damaged) {
        // fsck reports damaged documents; gc must never fail (or delete more) because of one.
      }
    }
    return reached;
  }

  /**
   * A document's bytes without the digest check. A damaged manifest whose JSON still parses
   * names the blobs it needs; deleting them would turn one bad byte into a lost image.
   */
  private byte[] readUnverified(Digest digest) throws java.io.IOException {
    return java.nio.file.Files.readAllBytes(store.blobs().path(digest));
  }
}
