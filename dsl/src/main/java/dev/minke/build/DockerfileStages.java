package dev.minke.build;

import dev.minke.build.dockerfile.Dockerfile;
import dev.minke.build.dockerfile.DockerfileSyntaxException;
import dev.minke.build.dockerfile.Heredoc;
import dev.minke.build.dockerfile.Instruction;
import dev.minke.image.HealthCheck;
import dev.minke.registry.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Dockerfile translated into the engine's values: the ARGs before the first FROM, and one
 * {@link DockerfileStage} per FROM. Variables are not expanded here; the builder expands them
 * per step, as BuildKit does. Shell-form CMD and ENTRYPOINT become argv with the SHELL in
 * effect ({@code /bin/sh -c} by default), as Docker records them.
 *
 * @param globalArgs the ARG instructions before the first FROM (they may parameterize FROM)
 * @param stages the stages in file order
 */
public record DockerfileStages(List<ConfigStep.Arg> globalArgs, List<DockerfileStage> stages) {
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  private static final Set<String> COPY_FLAGS = Set.of("chown", "chmod");

  public DockerfileStages {
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
  }

  /** Parses and translates Dockerfile text. */
  public static DockerfileStages parse(String text) {
    return translate(Dockerfile.parse(text));
  }

  /** Translates a parsed Dockerfile; instructions the engine cannot run yet are kept as data. */
  public static DockerfileStages translate(Dockerfile dockerfile) {
    List<ConfigStep.Arg> globalArgs = new ArrayList<>();
    List<DockerfileStage> stages = new ArrayList<>();
    StageBuilder current = null;
    for (Instruction instruction : dockerfile.instructions()) {
      if (instruction.keyword().equals("from")) {
        if (current != null) {
          stages.add(current.finish());
        }
        current = new StageBuilder(stages.size(), instruction, stages);
      } else if (current == null) {
        if (!instruction.keyword().equals("arg")) {
          throw error(instruction, "no build stage in current context: "
              + instruction.keyword().toUpperCase(Locale.ROOT) + " must come after FROM (only ARG"
              + " may come before it)");
        }
        globalArgs.addAll(args(instruction));
      } else {
        current.add(instruction);
      }
    }
    if (current == null) {
      throw new DockerfileSyntaxException(dockerfile.endLine(), dockerfile.endLine(),
          "the Dockerfile has no FROM instruction");
    }
    stages.add(current.finish());
    return new DockerfileStages(globalArgs, stages);
  }

  /** Collects one stage's steps, tracking SHELL for shell-form CMD and ENTRYPOINT. */
  private static final class StageBuilder {
    private final int index;
    private final Instruction from;
    private final List<DockerfileStage> earlier;
    private final List<DockerfileStep> steps = new ArrayList<>();
    private List<String> shell = DEFAULT_SHELL;

    StageBuilder(int index, Instruction from, List<DockerfileStage> earlier) {
      this.index = index;
      this.from = from;
      this.earlier = List.copyOf(earlier);
    }

    void add(Instruction in) {
      try {
        steps.addAll(translate(in));
      } catch (IllegalArgumentException e) {
        if (in.original().contains("$")) {
          // The step records validate their text, which here still holds variables.
          steps.add(new DockerfileStep.Unsupported(
              "uses a variable the engine validates only after expansion: " + e.getMessage(), in));
        } else {
          throw error(in, e.getMessage());
        }
      }
    }

    private List<DockerfileStep> translate(Instruction in) {
      List<String> a = in.args();
      switch (in.keyword()) {
        case "run":
          return List.of(new DockerfileStep.Run(a, in.jsonForm(), shell, in.flagValues("mount"),
              in.flag("network"), in.flag("security"), in.heredocs(), in));
        case "copy":
          return List.of(copy(in));
        case "add":
          requireArgs(in, 2);
          return List.of(new DockerfileStep.Add(a.subList(0, a.size() - 1), a.get(a.size() - 1),
              in.flags(), in.heredocs(), in));
        case "env":
          return List.of(supported(new ConfigStep.Env(pairs(in)), in));
        case "label":
          return List.of(supported(new ConfigStep.Label(pairs(in)), in));
        case "arg":
          return args(in).stream().map(arg -> supported(arg, in)).toList();
        case "workdir":
          return List.of(supported(new ConfigStep.Workdir(single(in)), in));
        case "user":
          return List.of(supported(new ConfigStep.User(single(in)), in));
        case "stopsignal":
          return List.of(supported(new ConfigStep.StopSignal(single(in)), in));
        case "expose":
          return a.stream().map(p -> supported(new ConfigStep.Expose(p), in)).toList();
        case "volume":
          return a.stream().map(p -> supported(new ConfigStep.Volume(p), in)).toList();
        case "cmd":
          return List.of(supported(new ConfigStep.Cmd(argv(in)), in));
        case "entrypoint":
          return List.of(supported(new ConfigStep.Entrypoint(argv(in)), in));
        case "shell":
          if (!in.jsonForm()) {
            throw error(in, "SHELL requires the arguments to be in JSON form");
          }
          shell = a;
          return List.of(supported(new ConfigStep.Shell(a), in));
        case "healthcheck":
          return List.of(supported(new ConfigStep.Healthcheck(healthCheck(in)), in));
        case "maintainer":
          return List.of(new DockerfileStep.Unsupported(
              "MAINTAINER (deprecated) sets the image author, which the engine does not model", in));
        case "onbuild":
          return List.of(new DockerfileStep.Unsupported(
              "ONBUILD triggers are not recorded in images yet", in));
        default:
          throw error(in, "unknown instruction: " + in.keyword().toUpperCase(Locale.ROOT));
      }
    }

    private DockerfileStep copy(Instruction in) {
      List<String> a = in.args();
      requireArgs(in, 2);
      CopyOptions options = CopyOptions.defaults();
      Optional<String> chown = in.flag("chown");
      Optional<String> chmod = in.flag("chmod");
      if (chown.isPresent()) {
        options = options.withChown(chown.get());
      }
      if (chmod.isPresent() && !chmod.get().contains("$")) {
        options = options.withChmod(Integer.parseInt(chmod.get(), 8));
      }
      CopyStep step = new CopyStep(a.subList(0, a.size() - 1), a.get(a.size() - 1), options);
      Optional<String> stage = in.flag("from");
      for (String flag : in.flags()) {
        String name = flag.replaceFirst("^--", "").replaceFirst("=.*$", "");
        if (!COPY_FLAGS.contains(name) && !name.equals("from")) {
          return new DockerfileStep.Unsupported("COPY --" + name + " is not supported yet", in);
        }
      }
      if (!in.heredocs().isEmpty()) {
        Heredoc heredoc = in.heredocs().get(0);
        boolean single = in.heredocs().size() == 1 && a.size() == 2 && a.get(0).startsWith("<<")
            && a.get(0).replaceAll("[<\\-\"']", "").equals(heredoc.name());
        if (!single || stage.isPresent() || (chmod.isPresent() && chmod.get().contains("$"))) {
          return new DockerfileStep.Unsupported(
              "COPY from a here-document is supported only as COPY <<NAME DEST, one here-document, no --from", in);
        }
        String content = heredoc.chomp() ? heredoc.content().replaceAll("(?m)^\t+", "") : heredoc.content();
        return new DockerfileStep.Supported(
            new CopyTextStep(heredoc.name(), content, a.get(1), options, heredoc.expand()), in);
      }
      if (chmod.isPresent() && chmod.get().contains("$")) {
        return new DockerfileStep.Unsupported("COPY --chmod with a variable is not supported yet", in);
      }
      return stage.isPresent()
          ? new DockerfileStep.CopyFrom(stage.get(), step, in)
          : new DockerfileStep.Supported(step, in);
    }

    /** Exec form as is; shell form runs in the SHELL in effect. */
    private List<String> argv(Instruction in) {
      if (in.jsonForm() || in.args().isEmpty()) {
        return in.args();
      }
      List<String> argv = new ArrayList<>(shell);
      argv.add(in.args().get(0));
      return argv;
    }

    private HealthCheck healthCheck(Instruction in) {
      List<String> a = in.args();
      if (a.isEmpty()) {
        throw error(in, "HEALTHCHECK requires an argument: NONE or CMD");
      }
      String type = a.get(0).toUpperCase(Locale.ROOT);
      if (type.equals("NONE")) {
        if (a.size() > 1 || !in.flags().isEmpty()) {
          throw error(in, "HEALTHCHECK NONE takes no other arguments");
        }
        return new HealthCheck(List.of("NONE"), 0, 0, 0, 0, 0);
      }
      if (!type.equals("CMD")) {
        throw error(in, "unknown type " + GoDuration.quote(a.get(0)) + " in HEALTHCHECK (try CMD)");
      }
      if (a.size() < 2) {
        throw error(in, "missing command after HEALTHCHECK CMD");
      }
      List<String> test = new ArrayList<>();
      if (in.jsonForm()) {
        test.add("CMD");
        test.addAll(a.subList(1, a.size()));
      } else {
        test.add("CMD-SHELL");
        test.add(a.get(1));
      }
      int retries = in.flag("retries").map(Integer::parseInt).orElse(0);
      return new HealthCheck(test, nanos(in, "interval"), nanos(in, "timeout"),
          nanos(in, "start-period"), nanos(in, "start-interval"), retries);
    }

    private long nanos(Instruction in, String flag) {
      return in.flag(flag).map(v -> GoDuration.parse(v).toNanos()).orElse(0L);
    }

    DockerfileStage finish() {
      List<String> a = from.args();
      if (a.isEmpty()) {
        throw error(from, "FROM requires the name of an image or stage");
      }
      Optional<String> name = Optional.empty();
      if (a.size() == 3 && a.get(1).equalsIgnoreCase("as")) {
        name = Optional.of(a.get(2).toLowerCase(Locale.ROOT));
      } else if (a.size() != 1) {
        throw error(from, "FROM requires either one or three arguments (IMAGE [AS NAME])");
      }
      String image = a.get(0);
      boolean isStage = earlier.stream().anyMatch(s -> s.name().map(image::equalsIgnoreCase).orElse(false));
      Optional<BaseImage> base = Optional.empty();
      if (image.equalsIgnoreCase("scratch")) {
        base = Optional.of(new BaseImage.Scratch());
      } else if (!isStage && !image.contains("$")) {
        base = Optional.of(new BaseImage.Named(Reference.parse(image)));
      }
      return new DockerfileStage(index, name, image, base, from.flag("platform"), steps, from.startLine());
    }
  }

  private static DockerfileStep supported(Step step, Instruction in) {
    return new DockerfileStep.Supported(step, in);
  }

  private static Map<String, String> pairs(Instruction in) {
    if (in.args().isEmpty()) {
      throw error(in, in.keyword().toUpperCase(Locale.ROOT) + " requires at least one argument");
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (Instruction.Pair pair : in.pairs()) {
      pairs.put(pair.key(), pair.value());
    }
    return pairs;
  }

  private static List<ConfigStep.Arg> args(Instruction in) {
    if (in.args().isEmpty()) {
      throw error(in, "ARG requires exactly one argument");
    }
    List<ConfigStep.Arg> args = new ArrayList<>();
    for (String word : in.args()) {
      int eq = word.indexOf('=');
      args.add(eq < 0 ? new ConfigStep.Arg(word, null)
          : new ConfigStep.Arg(word.substring(0, eq), word.substring(eq + 1)));
    }
    return args;
  }

  private static String single(Instruction in) {
    if (in.args().size() != 1) {
      throw error(in, in.keyword().toUpperCase(Locale.ROOT) + " requires exactly one argument");
    }
    return in.args().get(0);
  }

  private static void requireArgs(Instruction in, int min) {
    if (in.args().size() < min && in.heredocs().isEmpty()) {
      throw error(in, in.keyword().toUpperCase(Locale.ROOT) + " requires at least two arguments,"
          + " but only one was provided. Destination could not be determined");
    }
  }

  private static DockerfileSyntaxException error(Instruction in, String reason) {
    return new DockerfileSyntaxException(in.startLine(), in.endLine(), reason);
  }

  /** Go's {@code time.ParseDuration}, for HEALTHCHECK flags such as {@code 1m30s}. */
  static final class GoDuration {
    private GoDuration() {}

    static Duration parse(String text) {
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)").matcher(text);
      if (text.equals("0")) {
        return Duration.ZERO;
      }
      double nanos = 0;
      int pos = 0;
      while (pos < text.length() && m.find(pos) && m.start() == pos && !m.group(1).isEmpty()
          && !m.group(1).equals(".")) {
        double value = Double.parseDouble(m.group(1));
        nanos += value * switch (m.group(2)) {
          case "ns" -> 1d;
          case "us", "µs", "μs" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
        pos = m.end();
      }
      if (pos != text.length() || text.isEmpty()) {
        throw new IllegalArgumentException("invalid duration " + quote(text) + ", e.g. 30s or 1m30s");
      }
      return Duration.ofNanos(Math.round(nanos));
    }

    static String quote(String s) {
      return "\"" + s + "\"";
    }
  }
}
