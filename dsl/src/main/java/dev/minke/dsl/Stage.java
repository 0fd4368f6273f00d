package dev.minke.dsl;

import dev.minke.build.BaseImage;
import dev.minke.build.BuildOptions;
import dev.minke.build.ConfigStep;
import dev.minke.build.CopyOptions;
import dev.minke.build.CopyStep;
import dev.minke.build.BuildStage;
import dev.minke.build.StageRef;
import dev.minke.build.RunFlags;
import dev.minke.build.RunStep;
import dev.minke.build.Step;
import dev.minke.image.HealthCheck;
import dev.minke.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build stage as an immutable value: a base image and the steps on top of it, like the lines of
 * a Dockerfile stage. Every method returns a new stage, so one stage can be the start of several
 * others without either changing under the other.
 *
 * <p>Stages are values: a stage can copy files out of another ({@link #copy(Stage, String...)})
 * or start where another ended ({@code from(stage)}); building it builds the stages it needs,
 * independent ones in parallel.
 *
 * <pre>{@code
 * Image img = from("busybox").workdir("/app").copy("src/", "/app/").cmd("sh").build();
 * var build = from("busybox").as("build").run("mkdir /out && echo hi > /out/hello");
 * Image app = scratch().copy(build, "/out/hello", "/hello").build();
 * }</pre>
 */
public record Stage(BaseImage base, List<Step> steps, String name, Path context) {

  public Stage {
    steps = List.copyOf(steps);
  }

  /** A stage starting from {@code base} with no steps, using the current directory as context. */
  public static Stage of(BaseImage base) {
    return new Stage(base, List.of(), null, null);
  }

  private Stage plus(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new Stage(base, more, name, context);
  }

  /**
   * COPY: files from the build context into the image. The last argument is the destination; a
   * destination ending in {@code /}, or several sources, means "into this directory".
   */
  public Stage copy(String... sourcesThenDestination) {
    return copy(CopyOptions.defaults(), sourcesThenDestination);
  }

  /** COPY with {@code --chown}/{@code --chmod} options: {@code copy(chown("1000"), "a", "/b")}. */
  public Stage copy(CopyOptions options, String... sourcesThenDestination) {
    if (sourcesThenDestination.length < 2) {
      throw new IllegalArgumentException(
          "copy needs a source and a destination, e.g. copy(\"src/\", \"/app/\")");
    }
    int last = sourcesThenDestination.length - 1;
    return plus(new CopyStep(Arrays.asList(sourcesThenDestination).subList(0, last),
        sourcesThenDestination[last], options));
  }

  /**
   * COPY --from: files out of another stage's filesystem, e.g. {@code copy(build, "/out/app",
   * "/app")}. Source paths are paths in that stage; they keep their owner and mode there.
   */
  public Stage copy(Stage fromStage, String... sourcesThenDestination) {
    return copy(fromStage, CopyOptions.defaults(), sourcesThenDestination);
  }

  /** COPY --from with {@code --chown}/{@code --chmod} options. */
  public Stage copy(Stage fromStage, CopyOptions options, String... sourcesThenDestination) {
    if (fromStage == null) {
      throw new IllegalArgumentException("copy from a stage needs the stage, e.g. copy(build, \"/out\", \"/\")");
    }
    return copyFrom(new StageRef.Value(fromStage.toBuildStage()), options, sourcesThenDestination);
  }

  /**
   * COPY --from by stage name, resolved when a {@link Build} of named stages is built: {@code
   * copyFrom("build", "/out/app", "/app")}.
   */
  public Stage copyFrom(String stageName, String... sourcesThenDestination) {
    return copyFrom(new StageRef.Named(stageName, false), CopyOptions.defaults(), sourcesThenDestination);
  }

  private Stage copyFrom(StageRef from, CopyOptions options, String... sourcesThenDestination) {
    Stage plain = copy(options, sourcesThenDestination);
    CopyStep copy = (CopyStep) plain.steps().get(plain.steps().size() - 1);
    return plus(copy.withFrom(from));
  }

  /** RUN in shell form: {@code run("make all")} runs under the stage's SHELL, default {@code /bin/sh -c}. */
  public Stage run(String command) {
    return plus(RunStep.shell(command));
  }

  /**
   * RUN of a script ({@code RUN <<EOF … EOF}): the text, several lines if need be, runs with the
   * stage's SHELL ({@code /bin/sh -c SCRIPT} by default).
   */
  public Stage runScript(String script) {
    return plus(RunStep.shell(script));
  }

  /**
   * COPY of inline text ({@code COPY <<EOF /path}): a file with exactly {@code content}, mode
   * 0644, at {@code destination} (a file named {@code EOF} inside it when it ends with {@code /}).
   * The text is copied as given, with no variable expansion.
   */
  public Stage copyText(String content, String destination) {
    return copyText(CopyOptions.defaults(), content, destination);
  }

  /** COPY of inline text with {@code --chown}/{@code --chmod} options. */
  public Stage copyText(CopyOptions options, String content, String destination) {
    return plus(new dev.minke.build.CopyTextStep("EOF", content, destination, options, false));
  }

  /** RUN in exec form: {@code run(List.of("make", "all"))} runs the program with these arguments, no shell. */
  public Stage run(List<String> argv) {
    return plus(RunStep.exec(argv));
  }

  /** RUN in exec form: {@code runExec("make", "all")}. */
  public Stage runExec(String... argv) {
    return run(List.of(argv));
  }

  /** RUN with flags, shell form: {@code run(network("none"), "ip addr")}. */
  public Stage run(RunFlags flags, String command) {
    return plus(RunStep.shell(command).withFlags(flags));
  }

  /** RUN with flags, exec form. */
  public Stage run(RunFlags flags, List<String> argv) {
    return plus(RunStep.exec(argv).withFlags(flags));
  }

  /** ENV: sets one environment variable. */
  public Stage env(String name, String value) {
    return plus(new ConfigStep.Env(Map.of(name, value)));
  }

  /** ENV: sets several environment variables in one step, in the map's order. */
  public Stage env(Map<String, String> variables) {
    return plus(new ConfigStep.Env(new LinkedHashMap<>(variables)));
  }

  /** WORKDIR: the working directory for later steps and the container. */
  public Stage workdir(String path) {
    return plus(new ConfigStep.Workdir(path));
  }

  /** USER: the user (and group) the container runs as, e.g. {@code "1000:1000"} or {@code "app"}. */
  public Stage user(String user) {
    return plus(new ConfigStep.User(user));
  }

  /** ENTRYPOINT in exec form; it clears a CMD inherited from the base image. */
  public Stage entrypoint(String... argv) {
    return plus(new ConfigStep.Entrypoint(List.of(argv)));
  }

  /** CMD in exec form: the default command, or the default arguments of the entrypoint. */
  public Stage cmd(String... argv) {
    return plus(new ConfigStep.Cmd(List.of(argv)));
  }

  /** LABEL: one metadata key and value. */
  public Stage label(String key, String value) {
    return plus(new ConfigStep.Label(Map.of(key, value)));
  }

  /** EXPOSE: a port the container listens on, e.g. {@code "80"} or {@code "53/udp"}. */
  public Stage expose(String port) {
    return plus(new ConfigStep.Expose(port));
  }

  /** EXPOSE a TCP port. */
  public Stage expose(int port) {
    return expose(Integer.toString(port));
  }

  /** VOLUME: mount points whose data lives outside the container's own layer. */
  public Stage volume(String... paths) {
    Stage stage = this;
    for (String path : paths) {
      stage = stage.plus(new ConfigStep.Volume(path));
    }
    return stage;
  }

  /** STOPSIGNAL: the signal that asks the container to stop, e.g. {@code "SIGQUIT"}. */
  public Stage stopSignal(String signal) {
    return plus(new ConfigStep.StopSignal(signal));
  }

  /** HEALTHCHECK with a shell command, Docker's default timings. */
  public Stage healthcheck(String shellCommand) {
    return healthcheck(dev.minke.build.HealthChecks.shell(shellCommand));
  }

  /** HEALTHCHECK as built with {@link dev.minke.build.HealthChecks}. */
  public Stage healthcheck(HealthCheck check) {
    return plus(new ConfigStep.Healthcheck(check));
  }

  /** SHELL: the program shell-form commands run with, e.g. {@code shell("/bin/bash", "-c")}. */
  public Stage shell(String... argv) {
    return plus(new ConfigStep.Shell(List.of(argv)));
  }

  /** ARG: a build argument, {@code $NAME} in later steps; empty unless given at build time. */
  public Stage arg(String name) {
    return plus(new ConfigStep.Arg(name, null));
  }

  /** ARG with a default value. */
  public Stage arg(String name, String defaultValue) {
    return plus(new ConfigStep.Arg(name, defaultValue));
  }

  /** Names the stage ({@code FROM … AS name}); names are lower case, as in Dockerfiles. */
  public Stage as(String stageName) {
    if (stageName == null || !stageName.matches("[a-zA-Z][a-zA-Z0-9_.-]*")) {
      throw new IllegalArgumentException("invalid stage name \"" + stageName
          + "\": use letters, digits, '_', '.' and '-', starting with a letter");
    }
    return new Stage(base, steps, stageName.toLowerCase(java.util.Locale.ROOT), context);
  }

  /** The stage as the engine builds it, with the stages it uses. */
  public BuildStage toBuildStage() {
    return new BuildStage(name, base, steps, context);
  }

  /**
   * The Dockerfile that builds the same image: this stage and every stage it uses, each named,
   * dependencies first. Built from the same context, it gives the same image digest.
   */
  public String toDockerfile() {
    return dev.minke.build.DockerfilePrinter.print(toBuildStage());
  }

  /**
   * The directory copy sources are taken from. Unset, the build options' context is used (the
   * current directory by default).
   */
  public Stage context(Path dir) {
    return new Stage(base, steps, name, dir);
  }

  /** The directory copy sources are taken from. */
  public Stage context(String dir) {
    return context(Path.of(dir));
  }

  /**
   * Builds the stage into the current store (see {@code Minke.home}), printing one line per
   * step: its verdict (CACHED, BUILT) and the reason. An interrupt of the calling thread stops
   * the build and throws {@link dev.minke.build.BuildInterruptedException} (see {@link
   * dev.minke.build.Builder}); the steps that finished stay cached.
   */
  public Image build() {
    return build(BuildOptions.defaults());
  }

  /**
   * Builds with options (build args, {@code SOURCE_DATE_EPOCH}, compression, {@code --no-cache});
   * without a listener of their own, the front end shows the build (see {@link FrontEnd}).
   */
  public Image build(BuildOptions options) {
    return Build.of(this).build(options);
  }

  /** Builds into a given store, with the stages this one uses. */
  public Image buildIn(Store store, BuildOptions options) {
    return Build.of(this).buildIn(store, options);
  }

  /**
   * ENV: several variables in one step, in this order: {@code env("A", "1", "B", "2")}, as {@code
   * ENV A=1 B=2}.
   */
  public Stage env(String name, String value, String... moreNamesThenValues) {
    return plus(new ConfigStep.Env(pairs("env", name, value, moreNamesThenValues)));
  }

  /** LABEL: several keys and values in one step, {@code label("a", "1", "b", "2")}. */
  public Stage label(String key, String value, String... moreKeysThenValues) {
    return plus(new ConfigStep.Label(pairs("label", key, value, moreKeysThenValues)));
  }

  private static Map<String, String> pairs(String what, String name, String value, String... more) {
    if (more.length % 2 != 0) {
      throw new IllegalArgumentException(what + " takes names and values in pairs; \"" + more[more.length - 1]
          + "\" has no value");
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    pairs.put(name, value);
    for (int i = 0; i < more.length; i += 2) {
      pairs.put(more[i], more[i + 1]);
    }
    return pairs;
  }

  /** COPY --from by stage name with {@code --chown}/{@code --chmod} options. */
  public Stage copyFrom(String stageName, CopyOptions options, String... sourcesThenDestination) {
    return copyFrom(new StageRef.Named(stageName, false), options, sourcesThenDestination);
  }

  /**
   * COPY of a here-document exactly as a Dockerfile writes it ({@code COPY <<NAME DEST}): {@code
   * name} is the file's name when {@code destination} is a directory, and with {@code expand} (an
   * unquoted {@code NAME}) build arguments and variables in the text are replaced when it is built.
   */
  public Stage copyHeredoc(CopyOptions options, String name, boolean expand, String content, String destination) {
    return plus(new dev.minke.build.CopyTextStep(name, content, destination, options, expand));
  }

  /** The DSL source of this stage and the stages it uses, for JShell (see {@link JavaSource}). */
  public String toJava() {
    return JavaSource.of(this);
  }

  @Override
  public String toString() {
    return "Stage[" + (name == null ? "" : name + ": ") + "from " + base + ", " + steps.size()
        + (steps.size() == 1 ? " step]" : " steps]");
  }
}
