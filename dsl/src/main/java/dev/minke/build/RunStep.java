package dev.minke.build;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RUN: a command run in a container on the image so far; what it changes becomes one layer.
 * Shell form ({@code shellForm}, one element) runs under the stage's SHELL, default {@code
 * ["/bin/sh", "-c"]}; exec form runs the argv as given. The command is not expanded by Minke:
 * the shell does it, with build arguments in the environment, as Docker does.
 */
public record RunStep(List<String> command, boolean shellForm, RunFlags flags) implements Step {

  public RunStep {
    command = command == null ? List.of() : List.copyOf(command);
    if (command.isEmpty() || (shellForm && (command.size() != 1 || command.get(0).isBlank()))) {
      throw new IllegalArgumentException(
          "run needs a command, e.g. run(\"make\") or run(List.of(\"make\", \"all\"))");
    }
    flags = flags == null ? RunFlags.defaults() : flags;
  }

  /** Shell form: {@code RUN make all}. */
  public static RunStep shell(String command) {
    return new RunStep(List.of(command), true, RunFlags.defaults());
  }

  /** Exec form: {@code RUN ["make", "all"]}. */
  public static RunStep exec(List<String> argv) {
    return new RunStep(argv, false, RunFlags.defaults());
  }

  public RunStep withFlags(RunFlags newFlags) {
    return new RunStep(command, shellForm, newFlags);
  }

  /** The process argv: the shell and the command for shell form, the command for exec form. */
  public List<String> argv(List<String> shell) {
    if (!shellForm) {
      return command;
    }
    List<String> argv = new java.util.ArrayList<>(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
    argv.add(command.get(0));
    return argv;
  }

  @Override
  public String createdBy() {
    String text = shellForm ? command.get(0) : command.stream()
        .map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(",", "[", "]"));
    return "RUN " + flags.text() + text;
  }
}
