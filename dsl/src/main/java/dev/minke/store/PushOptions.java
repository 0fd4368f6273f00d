package dev.minke.store;

import dev.minke.registry.RegistryOptions;

/** How to push: how many blobs to upload at once, who hears the progress, how to reach registries. */
public record PushOptions(int jobs, TransferListener listener, RegistryOptions registry) {
  public PushOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be 1 or more, not " + jobs);
    }
    listener = listener == null ? TransferListener.NONE : listener;
    java.util.Objects.requireNonNull(registry, "registry");
  }

  /** 3 blobs at once, registries from the environment. */
  public static PushOptions defaults() {
    return new PushOptions(3, TransferListener.NONE, RegistryOptions.defaults());
  }

  public PushOptions withJobs(int newJobs) {
    return new PushOptions(newJobs, listener, registry);
  }

  public PushOptions withListener(TransferListener newListener) {
    return new PushOptions(jobs, newListener, registry);
  }

  public PushOptions withRegistry(RegistryOptions newRegistry) {
    return new PushOptions(jobs, listener, newRegistry);
  }
}
