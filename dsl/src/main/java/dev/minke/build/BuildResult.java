package dev.minke.build;

import dev.minke.image.Descriptor;
import dev.minke.image.ImageConfig;
import dev.minke.image.Manifest;
import java.util.List;

/** A finished build: the stored image (manifest descriptor, manifest, config) and its steps. */
public record BuildResult(Descriptor manifestDescriptor, Manifest manifest, ImageConfig config, List<StepResult> steps) {
  public BuildResult {
    steps = List.copyOf(steps);
  }
}
