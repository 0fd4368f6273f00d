package dev.minke.dsl;

import dev.minke.build.BaseImage;
import dev.minke.build.BuildStage;
import dev.minke.build.ConfigStep;
import dev.minke.build.CopyOptions;
import dev.minke.build.CopyStep;
import dev.minke.build.CopyTextStep;
import dev.minke.build.RunFlags;
import dev.minke.build.RunMount;
import dev.minke.build.RunStep;
import dev.minke.build.StageRef;
import dev.minke.build.Step;
import dev.minke.image.HealthCheck;
import dev.minke.registry.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints a build as DSL source for JShell and the notebook, with the startup imports ({@code
 * import static dev.minke.Minke.*; import dev.minke.dsl.*;}): one {@code var} per stage, named
 * after the stage in camel case ({@code stage0}, {@code stage1} … for unnamed ones), then the
 * build as the last expression, without a semicolon, so that {@code + ".build()"} builds it:
 *
 * <pre>{@code
 * var build = from("golang:1.22").as("build")
 *     .workdir("/src")
 *     .run("go build -o /out/app");
 * var app = scratch()
 *     .copyFrom("build", "/out/app", "/app")
 *     .entrypoint("/app");
 * Build.of(build, app)
 * }</pre>
 *
 * A build of one stage that uses no other is printed as that stage's expression. Evaluated, the
 * source gives stages with the same steps (same values, same Dockerfile, same cache keys); stage
 * references stay names where they were names ({@code copyFrom("build", …)}) and values where
 * they were values ({@code copy(build, …)}).
 */
public final class JavaSource {
  private static final Pattern STAGE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]*");
  private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
      "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
      "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
      "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
      "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true",
      "false", "null", "var", "yield", "record", "sealed", "permits", "_");
  private static final String CHAIN = "\n    ";
  private static final int ARGS = 8;

  private final List<BuildStage> declared;
  private final Map<BuildStage, String> vars = new HashMap<>();
  private final List<BuildStage> order = new ArrayList<>();

  private JavaSource(List<BuildStage> declared) {
    this.declared = declared;
  }

  /** The DSL source of {@code build}: its stages and, when set, its target. */
  public static String of(Build build) {
    List<BuildStage> declared = build.stages().stream().map(Stage::toBuildStage).toList();
    return new JavaSource(declared).print(build.target());
  }

  /** The DSL source of {@code stage} and the stages it uses. */
  public static String of(Stage stage) {
    return of(Build.of(stage));
  }

  private String print(String target) {
    for (BuildStage stage : declared) {
      visit(stage);
    }
    Set<String> taken = new HashSet<>();
    for (BuildStage stage : order) {
      vars.put(stage, varName(stage, taken));
    }
    if (order.size() == 1 && target == null) {
      return stage(order.get(0));
    }
    StringBuilder out = new StringBuilder();
    for (BuildStage stage : order) {
      out.append("var ").append(vars.get(stage)).append(" = ").append(stage(stage)).append(";\n");
    }
    out.append("Build.of(").append(declared.stream().map(vars::get).collect(Collectors.joining(", "))).append(')');
    if (target != null) {
      out.append(".target(").append(JavaLiterals.quote(target)).append(')');
    }
    return out.toString();
  }

  /** Orders stages so that every stage given as a value comes before the stages that use it. */
  private void visit(BuildStage stage) {
    if (order.contains(stage)) {
      return;
    }
    if (stage.base() instanceof BaseImage.FromStage from && from.stage() instanceof StageRef.Value value) {
      visit(value.stage());
    }
    for (Step step : stage.steps()) {
      if (step instanceof CopyStep copy && copy.from() instanceof StageRef.Value value) {
        visit(value.stage());
      }
    }
    order.add(stage);
  }

  private String varName(BuildStage stage, Set<String> taken) {
    String base;
    if (stage.name() == null) {
      int index = declared.indexOf(stage);
      base = "stage" + (index >= 0 ? index : order.indexOf(stage));
    } else {
      StringBuilder camel = new StringBuilder();
      for (String part : stage.name().split("[^A-Za-z0-9]+")) {
        if (!part.isEmpty()) {
          camel.append(camel.length() == 0 ? part.toLowerCase(Locale.ROOT)
              : Character.toUpperCase(part.charAt(0)) + part.substring(1).toLowerCase(Locale.ROOT));
        }
      }
      base = camel.length() == 0 || !Character.isLetter(camel.charAt(0)) ? "stage" + camel : camel.toString();
      base = KEYWORDS.contains(base) ? base + "Stage" : base;
    }
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + n;
    }
    taken.add(name);
    return name;
  }

  private String stage(BuildStage stage) {
    StringBuilder out = new StringBuilder(base(stage));
    if (stage.name() != null) {
      if (!STAGE_NAME.matcher(stage.name()).matches()) {
        throw new NoDslFormException("the stage name \"" + stage.name() + "\" has no DSL form: as(name) takes"
            + " letters, digits, '_', '.' and '-', starting with a letter",
            "rename the stage, e.g. \"build\"");
      }
      out.append(".as(").append(JavaLiterals.quote(stage.name())).append(')');
    }
    if (stage.context() != null) {
      out.append(".context(").append(JavaLiterals.quote(stage.context().toString())).append(')');
    }
    List<Step> steps = stage.steps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof ConfigStep.Volume) {
        List<String> paths = new ArrayList<>();
        for (; i < steps.size() && steps.get(i) instanceof ConfigStep.Volume volume; i++) {
          paths.add(volume.path());
        }
        i--;
        out.append(CHAIN).append(".volume(").append(args(paths)).append(')');
      } else {
        out.append(CHAIN).append(step(steps.get(i)));
      }
    }
    return out.toString();
  }

  private String base(BuildStage stage) {
    BaseImage base = stage.base();
    if (base instanceof BaseImage.Scratch) {
      return "scratch()";
    }
    if (base instanceof BaseImage.Named named) {
      return "from(" + JavaLiterals.quote(reference(named.reference())) + ")";
    }
    return "from" + source(((BaseImage.FromStage) base).stage(), "Stage(", "(") + ")";
  }

  /**
   * A stage reference as a call's opening and first argument: a name of this build stays a name
   * ({@code named + "\"build\""}), a value is its variable ({@code value + "build"}), and a name
   * that is no stage but an image (Dockerfile's {@code COPY --from=nginx}) is that image's stage.
   */
  private String source(StageRef ref, String named, String value) {
    if (ref instanceof StageRef.Value stage) {
      return value + vars.get(stage.stage());
    }
    StageRef.Named name = (StageRef.Named) ref;
    boolean isStage = declared.stream().anyMatch(s -> name.name().equals(s.name()));
    if (!isStage && name.name().chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(name.name());
      if (index < declared.size()) {
        BuildStage stage = declared.get(index);
        return stage.name() == null ? value + vars.get(stage) : named + JavaLiterals.quote(stage.name());
      }
    }
    if (!isStage && name.imageFallback()) {
      try {
        return value + "from(" + JavaLiterals.quote(reference(Reference.parse(name.name()))) + ")";
      } catch (RuntimeException notAnImage) {
        // Neither stage nor image: the build fails on the name, and so does the DSL.
      }
    }
    return named + JavaLiterals.quote(name.name());
  }

  /** The shortest text that parses back to the same reference. */
  private static String reference(Reference reference) {
    String familiar = reference.familiar();
    if (familiar.endsWith(":latest") && reference.digest() == null) {
      String bare = familiar.substring(0, familiar.length() - ":latest".length());
      if (Reference.parse(bare).equals(reference)) {
        return bare;
      }
    }
    return Reference.parse(familiar).equals(reference) ? familiar : reference.toString();
  }

  private String step(Step step) {
    if (step instanceof RunStep run) {
      return run(run);
    }
    if (step instanceof CopyStep copy) {
      return copy(copy);
    }
    if (step instanceof CopyTextStep text) {
      return copyText(text);
    }
    return config((ConfigStep) step);
  }

  private static String run(RunStep run) {
    boolean flagged = !run.flags().equals(RunFlags.defaults());
    String flags = flagged ? flags(run.flags()) + ", " : "";
    if (!run.shellForm()) {
      return flagged ? ".run(" + flags + "java.util.List.of(" + args(run.command()) + "))"
          : ".runExec(" + args(run.command()) + ")";
    }
    String command = run.command().get(0);
    String method = !flagged && command.endsWith("\n") ? ".runScript(" : ".run(";
    return method + flags + JavaLiterals.literal(command, ARGS) + ")";
  }

  /** RUN flags as the facade's helpers, in the step's mount order: {@code cacheMount("/c").withNetwork("none")}. */
  private static String flags(RunFlags flags) {
    List<String> calls = new ArrayList<>();
    for (RunMount mount : flags.mounts()) {
      if (mount instanceof RunMount.Cache cache) {
        boolean plain = cache.id().equals(cache.target()) && cache.sharing().equals("shared");
        calls.add("cacheMount(" + (plain ? args(List.of(cache.target()))
            : args(List.of(cache.target(), cache.id(), cache.sharing()))) + ")");
      } else {
        RunMount.Secret secret = (RunMount.Secret) mount;
        boolean plain = secret.target().equals("/run/secrets/" + secret.id());
        calls.add("secret(" + (plain ? args(List.of(secret.id())) : args(List.of(secret.id(), secret.target()))) + ")");
      }
    }
    if (!flags.network().equals("default")) {
      calls.add("network(" + JavaLiterals.quote(flags.network()) + ")");
    }
    StringBuilder out = new StringBuilder(calls.get(0));
    for (String call : calls.subList(1, calls.size())) {
      out.append(".with").append(Character.toUpperCase(call.charAt(0))).append(call.substring(1));
    }
    return out.toString();
  }

  private String copy(CopyStep copy) {
    List<String> words = new ArrayList<>(copy.sources());
    words.add(copy.destination());
    String options = copy.options().equals(CopyOptions.defaults()) ? "" : options(copy.options()) + ", ";
    if (copy.from() == null) {
      return ".copy(" + options + args(words) + ")";
    }
    return source(copy.from(), ".copyFrom(", ".copy(") + ", " + options + args(words) + ")";
  }

  private static String copyText(CopyTextStep text) {
    String options = text.options().equals(CopyOptions.defaults()) ? "" : options(text.options()) + ", ";
    String content = JavaLiterals.literal(text.content(), ARGS);
    if (text.name().equals("EOF") && !text.expand()) {
      return ".copyText(" + options + content + ", " + JavaLiterals.quote(text.destination()) + ")";
    }
    return ".copyHeredoc(" + (options.isEmpty() ? "CopyOptions.defaults(), " : options)
        + JavaLiterals.quote(text.name()) + ", " + text.expand() + ", " + content + ", "
        + JavaLiterals.quote(text.destination()) + ")";
  }

  /** Copy options as the facade's {@code chown("1000")}, {@code chmod(0755)}, or both chained. */
  private static String options(CopyOptions options) {
    String chmod = options.chmod() == null ? null : "0" + Integer.toOctalString(options.chmod());
    if (options.chown() == null) {
      return "chmod(" + chmod + ")";
    }
    String chown = "chown(" + JavaLiterals.quote(options.chown()) + ")";
    return chmod == null ? chown : chown + ".withChmod(" + chmod + ")";
  }

  private static String config(ConfigStep step) {
    if (step instanceof ConfigStep.Env env) {
      return ".env(" + pairs(env.variables()) + ")";
    }
    if (step instanceof ConfigStep.Label label) {
      return ".label(" + pairs(label.labels()) + ")";
    }
    if (step instanceof ConfigStep.Arg arg) {
      return ".arg(" + JavaLiterals.quote(arg.name())
          + (arg.defaultValue() == null ? "" : ", " + JavaLiterals.literal(arg.defaultValue(), ARGS)) + ")";
    }
    if (step instanceof ConfigStep.Workdir workdir) {
      return ".workdir(" + JavaLiterals.quote(workdir.path()) + ")";
    }
    if (step instanceof ConfigStep.User user) {
      return ".user(" + JavaLiterals.quote(user.user()) + ")";
    }
    if (step instanceof ConfigStep.StopSignal signal) {
      return ".stopSignal(" + JavaLiterals.quote(signal.signal()) + ")";
    }
    if (step instanceof ConfigStep.Expose expose) {
      String port = expose.port();
      return ".expose(" + (port.matches("[0-9]+/tcp") ? port.substring(0, port.indexOf('/'))
          : JavaLiterals.quote(port)) + ")";
    }
    if (step instanceof ConfigStep.Volume volume) {
      return ".volume(" + JavaLiterals.quote(volume.path()) + ")";
    }
    if (step instanceof ConfigStep.Entrypoint entrypoint) {
      return ".entrypoint(" + args(entrypoint.argv()) + ")";
    }
    if (step instanceof ConfigStep.Cmd cmd) {
      return ".cmd(" + args(cmd.argv()) + ")";
    }
    if (step instanceof ConfigStep.Shell shell) {
      return ".shell(" + args(shell.argv()) + ")";
    }
    return healthcheck(((ConfigStep.Healthcheck) step).check());
  }

  /**
   * HEALTHCHECK: {@code healthcheck("cmd")} for a shell check with Docker's timings, {@code
   * HealthChecks} for the others, the record itself when a start period or interval is set.
   */
  private static String healthcheck(HealthCheck check) {
    List<String> test = check.test();
    String kind = test.isEmpty() ? "" : test.get(0);
    List<String> rest = test.isEmpty() ? List.of() : test.subList(1, test.size());
    boolean untimed = check.intervalNanos() == 0 && check.timeoutNanos() == 0 && check.retries() == 0;
    boolean noStart = check.startPeriodNanos() == 0 && check.startIntervalNanos() == 0;
    if (kind.equals("CMD-SHELL") && rest.size() == 1 && untimed && noStart) {
      return ".healthcheck(" + JavaLiterals.literal(rest.get(0), ARGS) + ")";
    }
    String untimedCheck;
    if (kind.equals("CMD-SHELL") && rest.size() == 1) {
      untimedCheck = "healthcheck(" + JavaLiterals.literal(rest.get(0), ARGS) + ")";
    } else if (kind.equals("CMD") && !rest.isEmpty()) {
      untimedCheck = "dev.minke.build.HealthChecks.exec(" + args(rest) + ")";
    } else if (test.equals(List.of("NONE"))) {
      untimedCheck = "dev.minke.build.HealthChecks.none()";
    } else {
      untimedCheck = null;
    }
    if (untimedCheck != null && noStart) {
      return ".healthcheck(" + (untimed ? untimedCheck : "dev.minke.build.HealthChecks.timed(" + untimedCheck + ", "
          + duration(check.intervalNanos()) + ", " + duration(check.timeoutNanos()) + ", " + check.retries() + ")")
          + ")";
    }
    return ".healthcheck(new dev.minke.image.HealthCheck(java.util.List.of(" + args(test) + "), " + check.intervalNanos()
        + "L, " + check.timeoutNanos() + "L, " + check.startPeriodNanos() + "L, " + check.startIntervalNanos() + "L, "
        + check.retries() + "))";
  }

  private static String duration(long nanos) {
    Duration d = Duration.ofNanos(nanos);
    if (nanos % 1_000_000_000L == 0) {
      return "java.time.Duration.ofSeconds(" + d.toSeconds() + ")";
    }
    return nanos % 1_000_000L == 0 ? "java.time.Duration.ofMillis(" + d.toMillis() + ")"
        : "java.time.Duration.ofNanos(" + nanos + "L)";
  }

  /** Name-value pairs, one pair per line when there are several: {@code "A", "1",\n "B", "2"}. */
  private static String pairs(Map<String, String> pairs) {
    return pairs.entrySet().stream()
        .map(e -> JavaLiterals.quote(e.getKey()) + ", " + JavaLiterals.literal(e.getValue(), ARGS))
        .collect(Collectors.joining(",\n" + " ".repeat(ARGS)));
  }

  private static String args(List<String> values) {
    return values.stream().map(v -> JavaLiterals.literal(v, ARGS)).collect(Collectors.joining(", "));
  }
}
