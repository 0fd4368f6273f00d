package dev.minke.build;

import dev.minke.store.Store;
import java.util.List;

/**
 * Builds stages into images in the store. A build plans the stage graph of its target ({@link
 * Plan}: the stages it builds on and copies from, names resolved, cycles refused) and runs it
 * ({@link Executor}: independent stages in parallel). Each stage's steps are cached BuildKit's
 * way ({@link StageBuild}).
 *
 * <p>The target's image is recorded in the store's index untagged, so garbage collection keeps
 * it; the other stages leave only their layers and cache entries. A failed build writes no
 * manifest, no index entry and no cache entry, and the blobs and snapshots it made are removed:
 * the store is as it was.
 *
 * <p>Every {@code build} method is interruptible: an interrupt of the calling thread kills the
 * running RUN steps' containers (SIGTERM, SIGKILL to their cgroups shortly after), stops every
 * stage, drops the unfinished steps' partial layers, keeps the cache entries of the steps that
 * finished (unlike a failure, so that the next build continues from them) and throws {@link
 * BuildInterruptedException} naming where each stage stopped, with the interrupt status set.
 */
public final class Builder {
  private final Store store;

  public Builder(Store store) {
    this.store = store;
  }

  /** Builds one stage with no other stages: {@code base} and {@code steps}. */
  public BuildResult build(BaseImage base, List<Step> steps, BuildOptions options) {
    return build(new BuildStage(null, base, steps, null), options);
  }

  /** Builds {@code target} and the stages it needs. */
  public BuildResult build(BuildStage target, BuildOptions options) {
    return build(List.of(), target, options);
  }

  /**
   * Builds {@code target} and the stages it needs among {@code declared} (the stages of a
   * Dockerfile, which names resolve against); the other declared stages are reported SKIPPED.
   */
  public BuildResult build(List<BuildStage> declared, BuildStage target, BuildOptions options) {
    return new Executor(store).build(Plan.of(declared, target), options);
  }

  /** The stage of {@code declared} called {@code name}; a {@link BuildPlanException} if none is. */
  public static BuildStage target(List<BuildStage> declared, String name) {
    return declared.stream().filter(s -> name.equalsIgnoreCase(s.name())).findFirst()
        .orElseThrow(() -> Plan.unknownTarget(name, declared));
  }
}
