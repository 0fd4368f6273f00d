package dev.minke.build;

import java.nio.file.Path;
import java.util.List;

/**
 * One stage as the engine builds it: a base, the steps on top, an optional name ({@code FROM …
 * AS name}) and an optional context directory for COPY (the build options' context when null).
 * A stage that builds on or copies from other stages holds them ({@link StageRef}), so a target
 * stage is the whole graph of what it needs.
 */
public record BuildStage(String name, BaseImage base, List<Step> steps, Path context) {
  public BuildStage {
    if (base == null) {
      throw new IllegalArgumentException("a stage needs a base: an image, scratch or another stage");
    }
    steps = List.copyOf(steps);
    name = name == null || name.isBlank() ? null : name;
  }

  /** The stages this one reads directly: its base stage and the stages it copies from. */
  List<StageRef> references() {
    List<StageRef> refs = new java.util.ArrayList<>();
    if (base instanceof BaseImage.FromStage fromStage) {
      refs.add(fromStage.stage());
    }
    for (Step step : steps) {
      if (step instanceof CopyStep copy && copy.from() != null) {
        refs.add(copy.from());
      }
    }
    return refs;
  }
}
