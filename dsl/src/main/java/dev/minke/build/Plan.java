package dev.minke.build;

import dev.minke.registry.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage graph of one build: the stages the target needs, dependencies first, each with the
 * stages it reads, and the declared stages it does not need (reported SKIPPED). Names are
 * resolved here, once; a name no stage has, and stages that need each other, are errors before
 * anything is built.
 *
 * @param order the needed stages, every stage after the stages it reads; the target is last
 * @param dependencies for each needed stage, the stages it reads (base and copy sources)
 * @param labels for each stage, the name progress and errors use: its own name, {@code stage-N}
 *     by its position among the declared stages, or the image an image-only stage stands for
 * @param skipped the declared stages the target does not need
 * @param resolved the stage each reference of the needed stages names
 */
record Plan(List<BuildStage> order, Map<BuildStage, List<BuildStage>> dependencies, Map<BuildStage, String> labels,
    List<BuildStage> skipped, Map<StageRef, BuildStage> resolved) {

  /** Plans {@code target}, resolving names among {@code declared} (the stages of a Dockerfile). */
  static Plan of(List<BuildStage> declared, BuildStage target) {
    return new Planner(declared).plan(target);
  }

  BuildStage target() {
    return order.get(order.size() - 1);
  }

  String label(BuildStage stage) {
    return labels.get(stage);
  }

  /** Resolves references by DFS; grey stages are on the current path, so meeting one is a cycle. */
  private static final class Planner {
    private final List<BuildStage> declared;
    private final Map<BuildStage, Boolean> done = new HashMap<>();
    private final List<BuildStage> path = new ArrayList<>();
    private final List<BuildStage> order = new ArrayList<>();
    private final Map<BuildStage, List<BuildStage>> dependencies = new LinkedHashMap<>();
    private final Map<StageRef, BuildStage> resolved = new HashMap<>();

    Planner(List<BuildStage> declared) {
      this.declared = List.copyOf(declared);
    }

    Plan plan(BuildStage target) {
      visit(target);
      Map<BuildStage, String> labels = new HashMap<>();
      int anonymous = declared.size();
      for (BuildStage stage : order) {
        labels.put(stage, label(stage, anonymous++));
      }
      List<BuildStage> skipped = new ArrayList<>();
      for (BuildStage stage : declared) {
        if (!dependencies.containsKey(stage) && !skipped.contains(stage)) {
          skipped.add(stage);
          labels.put(stage, label(stage, -1));
        }
      }
      return new Plan(order, dependencies, labels, skipped, resolved);
    }

    private String label(BuildStage stage, int fallback) {
      if (stage.name() != null) {
        return stage.name();
      }
      int index = declared.indexOf(stage);
      if (index >= 0) {
        return "stage-" + index;
      }
      if (stage.steps().isEmpty() && stage.base() instanceof BaseImage.Named named) {
        return named.toString();
      }
      return "stage-" + fallback;
    }

    private void visit(BuildStage stage) {
      if (done.containsKey(stage)) {
        if (!done.get(stage)) {
          throw cycle(stage);
        }
        return;
      }
      done.put(stage, false);
      path.add(stage);
      List<BuildStage> deps = new ArrayList<>();
      for (StageRef ref : stage.references()) {
        BuildStage dep = resolve(ref, stage);
        resolved.put(ref, dep);
        visit(dep);
        if (!deps.contains(dep)) {
          deps.add(dep);
        }
      }
      path.remove(path.size() - 1);
      done.put(stage, true);
      dependencies.put(stage, List.copyOf(deps));
      order.add(stage);
    }

    private BuildStage resolve(StageRef ref, BuildStage from) {
      if (ref instanceof StageRef.Value value) {
        return value.stage();
      }
      StageRef.Named named = (StageRef.Named) ref;
      for (BuildStage stage : declared) {
        if (named.name().equals(stage.name())) {
          return stage;
        }
      }
      if (named.name().chars().allMatch(Character::isDigit)) {
        int index = Integer.parseInt(named.name());
        if (index < declared.size()) {
          return declared.get(index);
        }
        throw unknown(named.name(), from);
      }
      if (named.imageFallback()) {
        try {
          return new BuildStage(null, new BaseImage.Named(Reference.parse(named.name())), List.of(), null);
        } catch (RuntimeException notAReference) {
          throw unknown(named.name(), from);
        }
      }
      throw unknown(named.name(), from);
    }

    private BuildPlanException unknown(String name, BuildStage from) {
      List<String> names = declared.stream().map(BuildStage::name).filter(n -> n != null).toList();
      return new BuildPlanException("stage " + describe(from) + " refers to stage \"" + name
          + "\", which this build does not have",
          names.isEmpty() ? "name the stage with as(\"" + name + "\") and include it in the build"
              : "the build's stages are " + String.join(", ", names));
    }

    private BuildPlanException cycle(BuildStage again) {
      List<String> names = new ArrayList<>();
      for (int i = path.indexOf(again); i < path.size(); i++) {
        names.add(describe(path.get(i)));
      }
      names.add(describe(again));
      return new BuildPlanException("the stages need each other: " + String.join(" -> ", names),
          "a stage can use only stages that do not use it; break the cycle");
    }

    private String describe(BuildStage stage) {
      if (stage.name() != null) {
        return "\"" + stage.name() + "\"";
      }
      int index = declared.indexOf(stage);
      return index >= 0 ? "#" + index : "(unnamed)";
    }
  }

  /** The error for a {@code --target} no stage is called. */
  static BuildPlanException unknownTarget(String target, List<BuildStage> declared) {
    List<String> names = declared.stream().map(BuildStage::name).filter(n -> n != null).toList();
    return new BuildPlanException("target stage \"" + target + "\" could not be found",
        names.isEmpty() ? "the build has no named stages; name one with AS name"
            : "the build's stages are " + String.join(", ", names));
  }
}
