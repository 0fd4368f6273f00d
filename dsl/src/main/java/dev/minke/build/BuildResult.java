package dev.minke.build;

import dev.minke.image.Descriptor;
import dev.minke.image.ImageConfig;
import dev.minke.image.Manifest;
import java.util.List;

/**
 * A finished build: the stored image of the target stage (manifest descriptor, manifest,
 * config), the target's steps, and what happened to every stage (the target last).
 */
public record BuildResult(Descriptor manifestDescriptor, Manifest manifest, ImageConfig config, List<StepResult> steps,
    List<StageReport> stages) {
  public BuildResult {
    steps = List.copyOf(steps);
    stages = List.copyOf(stages);
  }

  public BuildResult(Descriptor manifestDescriptor, Manifest manifest, ImageConfig config, List<StepResult> steps) {
    this(manifestDescriptor, manifest, config, steps, List.of());
  }

  /** The same result with its stage reports. */
  BuildResult withStages(List<StageReport> reports) {
    return new BuildResult(manifestDescriptor, manifest, config, steps, reports);
  }
}
