package dev.minke.store;

/**
 * Hears the progress of a pull or push: one stream of events for every blob. Called from the
 * transfer threads, so it must be thread-safe; it must not block long.
 */
@FunctionalInterface
public interface TransferListener {
  TransferListener NONE = event -> {};

  void onEvent(TransferEvent event);
}
