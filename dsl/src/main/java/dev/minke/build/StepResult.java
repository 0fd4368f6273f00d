package dev.minke.build;

import dev.minke.image.Descriptor;
import java.util.Optional;

/**
 * What one step of a build did: the step as recorded in the history, the layer it made or
 * reused (none for a config step), how long it took, and the verdict with its reason
 * ("cache hit", "RUN: command changed", "--no-cache"…).
 */
public record StepResult(int index, String createdBy, Optional<Descriptor> layer, long durationMillis,
    Verdict verdict, String reason) {
  public StepResult {
    layer = layer == null ? Optional.empty() : layer;
    reason = reason == null ? "" : reason;
  }

  /** The compressed size of the step's layer, 0 for a config step. */
  public long layerSizeBytes() {
    return layer.map(Descriptor::size).orElse(0L);
  }

  @Override
  public String toString() {
    return verdict + " " + createdBy + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
