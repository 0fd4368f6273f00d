package dev.minke.build;

/** What a build did with one step. */
public enum Verdict {
  /** The cache had the step's result under the same key: nothing ran. */
  CACHED,
  /** The step ran (or was applied) and its result was recorded in the cache. */
  BUILT,
  /** The step did not run because an earlier step failed. */
  SKIPPED,
  /** The step ran and failed; the build failed with it. */
  FAILED
}
