package dev.minke.dsl;

import dev.minke.build.BuildStage;
import dev.minke.build.DockerfileBuild;
import dev.minke.build.DockerfileStage;
import dev.minke.build.DockerfileStages;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Dockerfile as a DSL {@link Build}: the stages {@code minke build} would build, with FROM's
 * variables expanded from the ARG defaults. Everything the engine cannot run, or the DSL cannot
 * write, is an error naming the Dockerfile line, before any stage exists.
 */
public final class DockerfileImport {
  /** BuildKit's rule for stage names, which is also what {@code Stage.as} accepts (lower-cased). */
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9_.-]*");

  private DockerfileImport() {}

  /** The build of {@code text}, its target the last stage. */
  public static Build build(String text) {
    return build(text, Map.of());
  }

  /** The build of {@code text} with these {@code --build-arg} values for FROM's variables. */
  public static Build build(String text, Map<String, String> buildArgs) {
    DockerfileStages dockerfile = DockerfileStages.parse(text);
    for (DockerfileStage stage : dockerfile.stages()) {
      if (stage.name().isPresent() && !STAGE_NAME.matcher(stage.name().get()).matches()) {
        throw new NoDslFormException("Dockerfile line " + stage.line() + ": invalid name for build stage: \""
            + stage.name().get() + "\" (FROM " + stage.from() + " AS " + stage.name().get() + ")",
            "start the name with a letter and use letters, digits, '_', '.' and '-'");
      }
    }
    List<BuildStage> stages = DockerfileBuild.of(dockerfile, buildArgs).stages();
    return new Build(stages.stream().map(s -> new Stage(s.base(), s.steps(), s.name(), s.context())).toList(), null);
  }
}
