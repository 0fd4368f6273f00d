package dev.minke.build;

import dev.minke.image.Descriptor;
import java.util.Optional;

/**
 * What one step of a build did: the step as recorded in the history, the layer it made (none for
 * a config step) and how long it took.
 */
public record StepResult(int index, String createdBy, Optional<Descriptor> layer, long durationMillis) {
  public StepResult {
    layer = layer == null ? Optional.empty() : layer;
  }
}
