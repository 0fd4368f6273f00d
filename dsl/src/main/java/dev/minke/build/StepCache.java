package dev.minke.build;

import dev.minke.build.cache.CacheKeys;
import dev.minke.build.cache.MissReasons;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.HistoryEntry;
import dev.minke.store.BuildCacheIndex;
import dev.minke.store.BuildCacheIndex.BaseRecord;
import dev.minke.store.CacheRecord;
import dev.minke.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The cache as one stage's build sees it: walks the key chain from the base image's key, decides
 * for each step whether the store has its result and why not, and records what was built. The
 * records are written only when the build has succeeded ({@link #flush()}): a failed build
 * leaves the store as it was, cache included.
 */
final class StepCache {
  /** A step's key, the entry to reuse (empty: build it) and the reason, in words. */
  record Decision(Digest key, Optional<CacheRecord> hit, String reason) {}

  private final Store store;
  private final BuildCacheIndex index;
  private final boolean noCache;
  private final BaseRecord base;
  private final String parentStage;
  private final Digest rootKey;
  private final List<CacheRecord> pending = new ArrayList<>();
  private Digest parentKey;
  private int firstRebuilt = -1;

  StepCache(Store store, BaseImage baseImage, Digest baseManifest, BuildOptions options) {
    this.store = store;
    this.index = store.cache();
    this.noCache = options.noCache();
    String compression = options.compression().name().toLowerCase(java.util.Locale.ROOT);
    this.base = new BaseRecord(baseImage.toString(), baseManifest, options.sourceDateEpochSeconds(), compression);
    this.rootKey = CacheKeys.root(baseManifest, options.sourceDateEpochSeconds(), compression);
    this.parentKey = rootKey;
    this.parentStage = null;
  }

  /**
   * The cache of a stage based on another ({@code FROM stage}): its key chain continues from the
   * last key of {@code parentStage}, as BuildKit's graph does.
   */
  StepCache(Store store, Digest parentStageKey, String parentStage, BuildOptions options) {
    this.store = store;
    this.index = store.cache();
    this.noCache = options.noCache();
    this.base = null;
    this.rootKey = parentStageKey;
    this.parentKey = parentStageKey;
    this.parentStage = parentStage;
  }

  /** The key of the image so far: the last step's, or the root's. */
  Digest lastKey() {
    return parentKey;
  }

  /** Looks a step up under the current parent; {@code label} starts the reason of a miss. */
  Decision decide(String label, String kind, SortedMap<String, String> inputs, boolean makesLayer) {
    Digest key = CacheKeys.child(parentKey, kind, inputs);
    if (noCache) {
      return new Decision(key, Optional.empty(), "--no-cache");
    }
    Optional<CacheRecord> found = index.get(key);
    if (found.isPresent() && (!makesLayer || layerPresent(found.get()))) {
      return new Decision(key, found, "cache hit");
    }
    String reason;
    if (found.isPresent()) {
      reason = label + ": the cached layer is gone from the store";
    } else if (firstRebuilt >= 0) {
      reason = label + ": parent changed (step " + (firstRebuilt + 1) + " rebuilt)";
    } else {
      reason = MissReasons.explain(label, kind, inputs, index.children(parentKey)).orElseGet(() ->
          !parentKey.equals(rootKey) ? label + ": not in the cache (a new step)"
              : base == null ? label + ": not in the cache under stage " + parentStage + " as it is now"
              : MissReasons.baseReason(base, index.base(base.reference())));
    }
    return new Decision(key, Optional.empty(), reason);
  }

  private boolean layerPresent(CacheRecord record) {
    return record.layer() != null && store.blobs().has(record.layer().digest());
  }

  /** The step was reused: later steps chain on its key. */
  void cached(Decision decision) {
    parentKey = decision.key();
  }

  /** The step was built (step {@code index}, zero-based): remember its result for later builds. */
  void built(int index, Decision decision, String kind, String text, SortedMap<String, String> inputs,
      Descriptor layer, Digest diffId, HistoryEntry history) {
    if (firstRebuilt < 0) {
      firstRebuilt = index;
    }
    pending.add(new CacheRecord(decision.key(), parentKey, kind, text, inputs, layer, diffId, history,
        System.currentTimeMillis()));
    parentKey = decision.key();
  }

  /** Writes what this build made into the shared index (call after the image is stored). */
  void flush() {
    pending.forEach(index::put);
    if (base != null) {
      index.putBase(base);
    }
  }
}
