package dev.minke.view;

import dev.minke.dsl.Container;
import dev.minke.dsl.Stack;
import dev.minke.dsl.StackStatus;
import dev.minke.runtime.RunResult;
import dev.minke.runtime.RuntimeSpec;
import dev.minke.runtime.VolumeInfo;
import dev.minke.runtime.net.Network;
import dev.minke.store.Volume;
import java.util.List;
import java.util.Optional;

/**
 * The views of what runs: containers and their runs and specs, volumes, networks, stacks, and a
 * build in progress. Lists are recognized when every element is a volume (or every one a
 * network), which is what {@code Minke.volumes()} and {@code networks()} return.
 */
final class RuntimeBundles {
  private RuntimeBundles() {}

  @SuppressWarnings("unchecked")
  static Optional<MimeBundle> of(Object value) {
    if (value instanceof Container container) {
      return Optional.of(ContainerView.of(container));
    } else if (value instanceof RunResult result) {
      return Optional.of(RunResultView.of(result));
    } else if (value instanceof RuntimeSpec spec) {
      return Optional.of(RuntimeSpecView.bundle(spec));
    } else if (value instanceof VolumeInfo volume) {
      return Optional.of(VolumeView.of(volume));
    } else if (value instanceof Volume volume) {
      return Optional.of(VolumeView.of(volume));
    } else if (value instanceof Network network) {
      return Optional.of(NetworkView.of(network));
    } else if (value instanceof Stack stack) {
      return Optional.of(StackView.of(stack));
    } else if (value instanceof StackStatus status) {
      return Optional.of(StackView.of(status));
    } else if (value instanceof BuildProgress progress) {
      return Optional.of(progress.render());
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      if (list.stream().allMatch(VolumeInfo.class::isInstance)) {
        return Optional.of(VolumeView.list((List<VolumeInfo>) list));
      } else if (list.stream().allMatch(Network.class::isInstance)) {
        return Optional.of(NetworkView.list((List<Network>) list));
      }
    }
    return Optional.empty();
  }
}
