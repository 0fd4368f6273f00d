package dev.minke.store;

import dev.minke.image.Platform;
import dev.minke.registry.RegistryOptions;

/**
 * How to pull: the policy ({@code docker pull} is {@link PullPolicy#ALWAYS}, a build's base image
 * {@link PullPolicy#MISSING}), which platform to take from an index, how many blobs to fetch at
 * once, who hears the progress, and how to reach registries.
 */
public record PullOptions(
    PullPolicy policy, Platform platform, int jobs, TransferListener listener, RegistryOptions registry) {

  public PullOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be 1 or more, not " + jobs);
    }
    java.util.Objects.requireNonNull(policy, "policy");
    java.util.Objects.requireNonNull(platform, "platform");
    listener = listener == null ? TransferListener.NONE : listener;
    java.util.Objects.requireNonNull(registry, "registry");
  }

  /** Pull when missing, the host's platform, 3 blobs at once, registries from the environment. */
  public static PullOptions defaults() {
    return new PullOptions(PullPolicy.MISSING, Platform.host(), 3, TransferListener.NONE, RegistryOptions.defaults());
  }

  public PullOptions withPolicy(PullPolicy newPolicy) {
    return new PullOptions(newPolicy, platform, jobs, listener, registry);
  }

  public PullOptions withPlatform(Platform newPlatform) {
    return new PullOptions(policy, newPlatform, jobs, listener, registry);
  }

  public PullOptions withJobs(int newJobs) {
    return new PullOptions(policy, platform, newJobs, listener, registry);
  }

  public PullOptions withListener(TransferListener newListener) {
    return new PullOptions(policy, platform, jobs, newListener, registry);
  }

  public PullOptions withRegistry(RegistryOptions newRegistry) {
    return new PullOptions(policy, platform, jobs, listener, newRegistry);
  }
}
