package dev.minke.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints a build as a Dockerfile: every stage the target needs, dependencies first, each with a
 * name ({@code FROM … AS name}), and each step as the instruction that the Dockerfile translator
 * ({@link DockerfileStages}) turns back into the same step. Built from the same context, the
 * printed Dockerfile gives the same image digest.
 *
 * <p>Words are quoted only where the Dockerfile would split or unquote them differently. A shell
 * command with a line break has no Dockerfile form that the engine runs (heredocs are not
 * supported yet), so that one step is printed in exec form with the stage's shell, under a
 * comment that says so.
 */
public final class DockerfilePrinter {
  private DockerfilePrinter() {}

  /** The Dockerfile of {@code target} and the stages it uses. */
  public static String print(BuildStage target) {
    return print(List.of(), target);
  }

  /** The same, with stage names resolved among {@code declared}. */
  public static String print(List<BuildStage> declared, BuildStage target) {
    Plan plan = Plan.of(declared, target);
    Map<BuildStage, String> names = names(plan);
    StringBuilder out = new StringBuilder();
    for (BuildStage stage : plan.order()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append("FROM ").append(base(stage.base(), plan, names)).append(" AS ").append(names.get(stage)).append('\n');
      List<String> shell = List.of("/bin/sh", "-c");
      for (Step step : stage.steps()) {
        if (step instanceof ConfigStep.Shell s) {
          shell = s.argv();
        }
        out.append(instruction(step, plan, names, shell)).append('\n');
      }
    }
    return out.toString();
  }

  private static Map<BuildStage, String> names(Plan plan) {
    Map<BuildStage, String> names = new HashMap<>();
    Set<String> taken = new HashSet<>();
    plan.order().stream().map(BuildStage::name).filter(n -> n != null).forEach(taken::add);
    int n = 0;
    for (BuildStage stage : plan.order()) {
      String name = stage.name();
      if (name == null || names.containsValue(name)) {
        do {
          name = "stage-" + n++;
        } while (taken.contains(name));
      }
      taken.add(name);
      names.put(stage, name);
    }
    return names;
  }

  private static String base(BaseImage base, Plan plan, Map<BuildStage, String> names) {
    if (base instanceof BaseImage.Named named) {
      return named.reference().familiar();
    }
    if (base instanceof BaseImage.FromStage fromStage) {
      return names.get(plan.resolved().get(fromStage.stage()));
    }
    return "scratch";
  }

  private static String instruction(Step step, Plan plan, Map<BuildStage, String> names, List<String> shell) {
    if (step instanceof CopyStep copy) {
      String from = copy.from() == null ? "" : "--from=" + names.get(plan.resolved().get(copy.from())) + " ";
      List<String> words = new ArrayList<>(copy.sources());
      words.add(copy.destination());
      return "COPY " + from + copy.options().flags() + words(words);
    }
    if (step instanceof CopyTextStep text) {
      String delimiter = text.name();
      while (text.content().lines().anyMatch(delimiter::equals)) {
        delimiter = delimiter + "_";
      }
      String body = text.content().isEmpty() || text.content().endsWith("\n") ? text.content() : text.content() + "\n";
      String comment = text.content().isEmpty() || text.content().endsWith("\n") ? ""
          : "# the text has no final newline, which a here-document adds\n";
      return comment + "COPY " + text.options().flags() + (text.expand() ? "<<" + delimiter : "<<\"" + delimiter + "\"")
          + " " + word(text.destination()) + "\n" + body + delimiter;
    }
    if (step instanceof RunStep run) {
      String script = run.command().get(0);
      if (run.shellForm() && script.endsWith("\n") && !script.startsWith("#!") && !script.isBlank()) {
        // A script: a here-document, which the translator runs as this same shell-form command.
        String delimiter = "EOF";
        while (script.lines().anyMatch(delimiter::equals)) {
          delimiter = delimiter + "_";
        }
        return "RUN " + run.flags().text() + "<<" + delimiter + "\n" + script + delimiter;
      }
      if (run.shellForm() && script.indexOf('\n') >= 0) {
        return "# a multi-line command, in exec form with the stage's shell\nRUN " + run.flags().text()
            + json(run.argv(shell));
      }
      return "RUN " + run.flags().text() + (run.shellForm() ? run.command().get(0) : StepInputs.json(run.command()));
    }
    if (step instanceof ConfigStep.Env env) {
      return "ENV " + pairs(env.variables());
    }
    if (step instanceof ConfigStep.Label label) {
      return "LABEL " + pairs(label.labels());
    }
    if (step instanceof ConfigStep.Arg arg) {
      return "ARG " + arg.name() + (arg.defaultValue() == null ? "" : "=" + word(arg.defaultValue()));
    }
    // WORKDIR, USER, STOPSIGNAL, EXPOSE print as recorded; ENTRYPOINT, CMD, SHELL, VOLUME in
    // JSON form; HEALTHCHECK with its flags and CMD in the form it was given.
    return step.createdBy();
  }

  /** A JSON array of strings, control characters escaped (a multi-line command stays on one line). */
  private static String json(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String v : values) {
      out.append(out.length() > 1 ? "," : "").append('"');
      for (char c : v.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          case '\r' -> out.append("\\r");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
    return out.append(']').toString();
  }

  private static String pairs(Map<String, String> pairs) {
    return pairs.entrySet().stream().map(e -> word(e.getKey()) + "=" + word(e.getValue()))
        .collect(Collectors.joining(" "));
  }

  /** COPY arguments: plain words, or JSON form when one would not survive the word split. */
  private static String words(List<String> words) {
    boolean plain = words.stream().allMatch(w -> !needsQuotes(w));
    return plain ? String.join(" ", words) : StepInputs.json(words);
  }

  /**
   * A word that expands to what the DSL value expands to: DSL values are expanded like Dockerfile
   * words, so only whitespace and quotes need double quotes (inside which {@code $} still expands).
   */
  private static String word(String value) {
    return needsQuotes(value) ? "\"" + value.replace("\"", "\\\"") + "\"" : value;
  }

  private static boolean needsQuotes(String value) {
    return value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'');
  }
}
