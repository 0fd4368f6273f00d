package dev.minke.build;

import dev.minke.build.dockerfile.ShellExpander;
import dev.minke.build.dockerfile.ShellExpansionException;
import dev.minke.registry.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A translated Dockerfile made buildable: one {@link BuildStage} per {@code FROM}, in file order,
 * with FROM's variables expanded from the global ARGs (a {@code --build-arg} wins over the
 * default), stage names turned into references ({@code FROM builder}, {@code COPY
 * --from=builder}; a {@code --from} that is no stage is an image, as in Docker), and RUN as the
 * engine's {@link RunStep}. An instruction the engine cannot run yet is an error naming its line,
 * before anything is built.
 */
public record DockerfileBuild(List<BuildStage> stages) {
  private static final ShellExpander EXPANDER = ShellExpander.standard();

  public DockerfileBuild {
    stages = List.copyOf(stages);
  }

  /** The buildable stages of {@code dockerfile} with these build argument values. */
  public static DockerfileBuild of(DockerfileStages dockerfile, Map<String, String> buildArgs) {
    Map<String, String> globals = new LinkedHashMap<>();
    Map<String, String> globalDefaults = new LinkedHashMap<>();
    Map<String, Boolean> hasValue = new LinkedHashMap<>();
    for (ConfigStep.Arg arg : dockerfile.globalArgs()) {
      String value = buildArgs.containsKey(arg.name()) ? buildArgs.get(arg.name())
          : arg.defaultValue() == null ? "" : expand(arg.defaultValue(), globals, 0);
      globals.put(arg.name(), value);
      hasValue.put(arg.name(), buildArgs.containsKey(arg.name()) || arg.defaultValue() != null);
      if (arg.defaultValue() != null) {
        globalDefaults.put(arg.name(), arg.defaultValue());
      }
    }
    List<BuildStage> stages = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (DockerfileStage stage : dockerfile.stages()) {
      BaseImage base = base(stage, globals, hasValue, names);
      List<Step> steps = new ArrayList<>();
      for (DockerfileStep step : stage.steps()) {
        steps.add(step(step, globalDefaults));
      }
      stages.add(new BuildStage(stage.name().orElse(null), base, steps, null));
      names.add(stage.name().orElse(null));
    }
    return new DockerfileBuild(stages);
  }

  /** The stage called {@code name}, or the last stage when {@code name} is null. */
  public BuildStage target(String name) {
    return name == null ? stages.get(stages.size() - 1) : Builder.target(stages, name.toLowerCase(Locale.ROOT));
  }

  private static BaseImage base(DockerfileStage stage, Map<String, String> globals, Map<String, Boolean> hasValue,
      List<String> earlier) {
    if (stage.base().isPresent()) {
      return stage.base().get();
    }
    String from = stage.from();
    if (from.contains("$")) {
      from = expand(from, globals, stage.line());
      if (from.isEmpty()) {
        List<String> unset = hasValue.entrySet().stream().filter(e -> !e.getValue() && stage.from().contains(e.getKey()))
            .map(Map.Entry::getKey).toList();
        throw new BuildPlanException("Dockerfile line " + stage.line() + ": base name (" + stage.from()
            + ") should not be blank" + (unset.isEmpty() ? "" : ": build argument " + String.join(", ", unset)
            + " has no value"), "pass it, e.g. --build-arg "
            + (unset.isEmpty() ? "NAME" : unset.get(0)) + "=busybox, or give the ARG a default");
      }
    }
    String name = from.toLowerCase(Locale.ROOT);
    if (earlier.contains(name)) {
      return new BaseImage.FromStage(new StageRef.Named(name, false));
    }
    if (name.equals("scratch")) {
      return new BaseImage.Scratch();
    }
    try {
      return new BaseImage.Named(Reference.parse(from));
    } catch (RuntimeException e) {
      throw new BuildPlanException("Dockerfile line " + stage.line() + ": FROM " + from
          + " is neither an earlier stage nor an image reference: " + e.getMessage(),
          "name an image such as busybox:1.36, or a stage defined above with AS");
    }
  }

  private static Step step(DockerfileStep step, Map<String, String> globalDefaults) {
    int line = step.source().startLine();
    if (step instanceof DockerfileStep.Supported supported) {
      // An ARG declared again in a stage takes the global default, as in BuildKit.
      if (supported.step() instanceof ConfigStep.Arg arg && arg.defaultValue() == null
          && globalDefaults.containsKey(arg.name())) {
        return new ConfigStep.Arg(arg.name(), globalDefaults.get(arg.name()));
      }
      return supported.step();
    }
    if (step instanceof DockerfileStep.CopyFrom copyFrom) {
      return copyFrom.copy().withFrom(new StageRef.Named(copyFrom.from(), true));
    }
    if (step instanceof DockerfileStep.Run run) {
      return run(run, line);
    }
    String reason = step instanceof DockerfileStep.Unsupported unsupported ? unsupported.reason()
        : step instanceof DockerfileStep.Add ? "ADD is not supported yet" : "not supported yet";
    throw unsupported(line, reason, step.source().original());
  }

  private static RunStep run(DockerfileStep.Run run, int line) {
    if (run.security().isPresent()) {
      throw unsupported(line, "RUN --security is not supported yet", run.source().original());
    }
    for (String flag : run.source().flags()) {
      if (!flag.startsWith("--network") && !flag.startsWith("--mount")) {
        throw unsupported(line, "RUN " + flag.replaceFirst("=.*", "") + " is not supported yet",
            run.source().original());
      }
    }
    RunStep step = run.heredocs().isEmpty()
        ? (run.execForm() ? RunStep.exec(run.command()) : RunStep.shell(String.join(" ", run.command())))
        : heredocRun(run, line);
    Optional<String> network = run.network();
    RunFlags flags;
    try {
      flags = network.isPresent() ? RunFlags.defaults().withNetwork(network.get()) : RunFlags.defaults();
    } catch (IllegalArgumentException e) {
      throw new BuildPlanException("Dockerfile line " + line + ": " + e.getMessage(), "use --network=none or default");
    }
    for (String mount : run.mounts()) {
      try {
        flags = flags.withMount(RunMount.parse(mount));
      } catch (IllegalArgumentException e) {
        throw new BuildPlanException("Dockerfile line " + line + ": --mount=" + mount + ": " + e.getMessage()
            + " (" + run.source().original().strip() + ")",
            "use --mount=type=cache,target=DIR[,id=ID][,sharing=shared|private|locked] or type=secret,id=ID[,target=FILE]");
      }
    }
    return flags.equals(RunFlags.defaults()) ? step : step.withFlags(flags);
  }

  /**
   * RUN with here-documents. {@code RUN <<EOF} alone: the body is the script, run with the
   * stage's shell ({@code sh -c BODY}). Otherwise the shell gets the line and the bodies, each
   * followed by its delimiter, and does the redirections itself ({@code RUN python3 <<EOF}).
   */
  private static RunStep heredocRun(DockerfileStep.Run run, int line) {
    if (run.execForm()) {
      throw unsupported(line, "RUN in exec form with a here-document is not supported", run.source().original());
    }
    String command = String.join(" ", run.command()).strip();
    dev.minke.build.dockerfile.Heredoc first = run.heredocs().get(0);
    String alone = "<<-?([\"']?)" + java.util.regex.Pattern.quote(first.name()) + "\\1";
    if (run.heredocs().size() == 1 && first.fileDescriptor() == 0 && command.matches(alone)) {
      String script = first.chomp() ? first.content().replaceAll("(?m)^\t+", "") : first.content();
      if (script.startsWith("#!")) {
        throw unsupported(line, "RUN <<EOF with a #! interpreter line is not supported yet", run.source().original());
      }
      if (script.isBlank()) {
        throw unsupported(line, "RUN <<" + first.name() + " has an empty script", run.source().original());
      }
      return RunStep.shell(script);
    }
    StringBuilder text = new StringBuilder(command).append('\n');
    for (dev.minke.build.dockerfile.Heredoc heredoc : run.heredocs()) {
      text.append(heredoc.content()).append(heredoc.name()).append('\n');
    }
    return RunStep.shell(text.toString());
  }

  private static BuildPlanException unsupported(int line, String reason, String instruction) {
    return new BuildPlanException("Dockerfile line " + line + ": " + reason + " (" + instruction.strip() + ")",
        "rewrite the instruction with RUN, COPY and the config instructions the engine runs");
  }

  private static String expand(String text, Map<String, String> variables, int line) {
    try {
      return EXPANDER.expand(text, variables);
    } catch (ShellExpansionException e) {
      throw new BuildPlanException("Dockerfile line " + line + ": cannot expand \"" + text + "\": " + e.reason(),
          "close quotes and ${…}");
    }
  }
}
