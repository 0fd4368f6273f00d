package dev.minke.dsl;

import dev.minke.build.BaseImage;
import dev.minke.build.BuildStage;
import dev.minke.build.CopyStep;
import dev.minke.build.StageRef;
import dev.minke.build.Step;
import dev.minke.registry.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * A build as comparable text: each declared stage with its name, context, base and steps (the
 * step records themselves), and every stage reference as what it resolves to (the declared stage
 * by position, or the image), so that {@code copyFrom("build", …)} and a Dockerfile's {@code COPY
 * --from=build} compare equal, as they build the same.
 */
final class BuildShapes {
  private BuildShapes() {}

  static List<String> of(Build build) {
    List<BuildStage> declared = build.stages().stream().map(Stage::toBuildStage).toList();
    List<String> shape = new ArrayList<>();
    for (BuildStage stage : declared) {
      shape.add("stage " + stage.name() + " context " + stage.context() + " base "
          + (stage.base() instanceof BaseImage.FromStage from ? ref(from.stage(), declared) : stage.base()));
      for (Step step : stage.steps()) {
        shape.add("  " + (step instanceof CopyStep copy && copy.from() != null
            ? copy.withFrom(null) + " from " + ref(copy.from(), declared) : step.toString()));
      }
    }
    shape.add("target " + (build.target() == null ? declared.size() - 1
        : declared.indexOf(declared.stream().filter(s -> build.target().equals(s.name())).findFirst().orElseThrow())));
    return shape;
  }

  private static String ref(StageRef ref, List<BuildStage> declared) {
    if (ref instanceof StageRef.Value value) {
      BuildStage stage = value.stage();
      int index = declared.indexOf(stage);
      if (index >= 0) {
        return "stage#" + index;
      }
      if (stage.name() == null && stage.steps().isEmpty() && stage.base() instanceof BaseImage.Named named) {
        return "image " + named.reference();
      }
      return "value " + stage;
    }
    StageRef.Named named = (StageRef.Named) ref;
    for (int i = 0; i < declared.size(); i++) {
      if (named.name().equals(declared.get(i).name())) {
        return "stage#" + i;
      }
    }
    if (named.name().chars().allMatch(Character::isDigit) && Integer.parseInt(named.name()) < declared.size()) {
      return "stage#" + named.name();
    }
    if (named.imageFallback()) {
      try {
        return "image " + Reference.parse(named.name());
      } catch (RuntimeException e) {
        // Not an image either.
      }
    }
    return "unknown " + named.name();
  }
}
