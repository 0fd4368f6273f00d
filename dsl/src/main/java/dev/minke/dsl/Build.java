package dev.minke.dsl;

import dev.minke.build.BuildListener;
import dev.minke.build.BuildOptions;
import dev.minke.build.BuildResult;
import dev.minke.build.BuildStage;
import dev.minke.build.Builder;
import dev.minke.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * A build of several stages as an immutable value: the stages (names that {@code
 * copyFrom("name", …)} and {@code fromStage("name")} resolve against) and the target, the last
 * stage unless {@link #target(String)} says otherwise. Building builds only the stages the target
 * needs, independent ones in parallel; the others are reported SKIPPED.
 *
 * <pre>{@code
 * var build = Build.of(
 *     from("busybox").as("build").run("mkdir /out && echo hi > /out/hello"),
 *     from("busybox").as("test").run("false"),
 *     scratch().as("app").copyFrom("build", "/out/hello", "/hello"));
 * Image app = build.build();                 // "test" is SKIPPED: not needed for target app
 * Image tested = build.target("test").build();
 * }</pre>
 */
public record Build(List<Stage> stages, String target) {
  public Build {
    if (stages == null || stages.isEmpty()) {
      throw new IllegalArgumentException("a build needs at least one stage");
    }
    stages = List.copyOf(stages);
  }

  /** A build of these stages whose target is the last one. */
  public static Build of(Stage... stages) {
    return new Build(List.of(stages), null);
  }

  /** The same build with target stage {@code name} ({@code docker build --target}). */
  public Build target(String name) {
    return new Build(stages, name);
  }

  /** The Dockerfile of the target and the stages it needs (see {@link Stage#toDockerfile()}). */
  public String toDockerfile() {
    List<BuildStage> declared = declared();
    return dev.minke.build.DockerfilePrinter.print(declared, targetOf(declared));
  }

  /**
   * The DSL source of this build, for JShell and the notebook: a {@code var} per stage, then the
   * build as an expression ({@code Build.of(…)}, or the one stage's expression), to which {@code
   * .build()} can be appended (see {@link JavaSource}).
   */
  public String toJava() {
    return JavaSource.of(this);
  }

  /** Builds the target into the current store, shown by the front end (JShell: one line per step). */
  public Image build() {
    return build(BuildOptions.defaults());
  }

  /** Builds with options; without a listener of their own, the front end shows the build ({@link FrontEnd}). */
  public Image build(BuildOptions options) {
    if (options.listener() != BuildListener.NONE) {
      return buildIn(Stores.current(), options);
    }
    BuildDisplay display = FrontEnd.current().startBuild();
    try {
      Image image = buildIn(Stores.current(), options.withListener(display));
      display.finished(image);
      return image;
    } catch (RuntimeException e) {
      display.failed(e);
      throw e;
    }
  }

  /** Builds into a given store; the image carries the target's steps. */
  public Image buildIn(Store store, BuildOptions options) {
    return Image.of(store, result(store, options));
  }

  /** Builds into a given store and returns the whole result, with a report per stage. */
  public BuildResult result(Store store, BuildOptions options) {
    List<BuildStage> declared = declared();
    return new Builder(store).build(declared, targetOf(declared), options);
  }

  private List<BuildStage> declared() {
    List<BuildStage> declared = new ArrayList<>();
    stages.forEach(s -> declared.add(s.toBuildStage()));
    return declared;
  }

  private BuildStage targetOf(List<BuildStage> declared) {
    return target == null ? declared.get(declared.size() - 1) : Builder.target(declared, target);
  }
}
