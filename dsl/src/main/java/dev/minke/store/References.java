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

  /** Every blob digest reachable from index.json; missing or unreadable blobs are skipped. */
  Set<Digest> reachableBlobs() {
    Set<Digest> reached = new HashSet<>();
    configs.clear();
    Deque<Descriptor> pending = new ArrayDeque<>(store.images().read().manifests());
    while (!pending.isEmpty()) {
      Descriptor d = pending.pop();
      if (!reached.add(d.digest()) || !store.blobs().has(d.digest())) {
        continue;
      }
      try {
        if (MediaType.isIndex(d.mediaType())) {
          pending.addAll(Json.read(store.blobs().readAll(d.digest()), Index.class).manifests());
        } else if (MediaType.isManifest(d.mediaType())) {
          Manifest manifest = Json.read(store.blobs().readAll(d.digest()), Manifest.class);
          reached.add(manifest.config().digest());
          configs.add(manifest.config().digest());
          manifest.layers().forEach(layer -> reached.add(layer.digest()));
        }
      } catch (RuntimeException damaged) {
        // fsck reports damaged documents; gc must never fail (or delete more) because of one.
      }
    }
    return reached;
  }
}
