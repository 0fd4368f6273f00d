package dev.minke.build;

import dev.minke.image.ContainerConfig;
import dev.minke.image.HealthCheck;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A step that changes only the image config (ENV, WORKDIR, USER, …). Each kind is a record that
 * validates its input and knows how it changes a {@link ContainerConfig}.
 */
public sealed interface ConfigStep extends Step {

  /** The config after this step. */
  ContainerConfig applyTo(ContainerConfig config);

  /** The step with Dockerfile variables in its arguments replaced; exec-form argv is literal. */
  default ConfigStep expand(UnaryOperator<String> expander) {
    return this;
  }

  /** Whether the step is recorded in the image history (ARG is not, as in BuildKit). */
  default boolean recordedInHistory() {
    return true;
  }

  /** ENV: sets environment variables, in the given order. */
  record Env(Map<String, String> variables) implements ConfigStep {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Env {
      if (variables.isEmpty()) {
        throw new IllegalArgumentException("env needs at least one NAME and value");
      }
      for (String name : variables.keySet()) {
        if (!NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "invalid environment variable name \"" + name + "\": use letters, digits and _,"
                  + " not starting with a digit");
        }
      }
      variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      Map<String, String> expanded = new java.util.LinkedHashMap<>();
      variables.forEach((k, v) -> expanded.put(k, expander.apply(v)));
      return new Env(expanded);
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      ContainerConfig result = config;
      for (Map.Entry<String, String> e : variables.entrySet()) {
        result = result.withEnv(e.getKey(), e.getValue());
      }
      return result;
    }

    @Override
    public String createdBy() {
      return "ENV " + variables.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(" "));
    }
  }

  /** WORKDIR: the working directory; a relative path is taken from the previous one. */
  record Workdir(String path) implements ConfigStep {
    public Workdir {
      requireText(path, "workdir", "/app");
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      return new Workdir(expander.apply(path));
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withWorkingDir(ContainerPaths.resolve(config.workingDir(), path));
    }

    @Override
    public String createdBy() {
      return "WORKDIR " + path;
    }
  }

  /** USER: the user (and group) the container runs as. */
  record User(String user) implements ConfigStep {
    public User {
      requireText(user, "user", "1000:1000 or app");
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      return new User(expander.apply(user));
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withUser(user);
    }

    @Override
    public String createdBy() {
      return "USER " + user;
    }
  }

  /** ENTRYPOINT in exec form. */
  record Entrypoint(List<String> argv) implements ConfigStep {
    public Entrypoint {
      argv = List.copyOf(argv);
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withEntrypoint(argv);
    }

    @Override
    public String createdBy() {
      return "ENTRYPOINT " + jsonArray(argv);
    }
  }

  /** CMD in exec form. */
  record Cmd(List<String> argv) implements ConfigStep {
    public Cmd {
      argv = List.copyOf(argv);
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withCmd(argv);
    }

    @Override
    public String createdBy() {
      return "CMD " + jsonArray(argv);
    }
  }

  /** LABEL: metadata key/value pairs. */
  record Label(Map<String, String> labels) implements ConfigStep {
    public Label {
      if (labels.isEmpty()) {
        throw new IllegalArgumentException("label needs at least one key and value");
      }
      labels.keySet().forEach(k -> requireText(k, "label key", "org.opencontainers.image.title"));
      labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      Map<String, String> expanded = new TreeMap<>();
      labels.forEach((k, v) -> expanded.put(expander.apply(k), expander.apply(v)));
      return new Label(expanded);
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      ContainerConfig result = config;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        result = result.withLabel(e.getKey(), e.getValue());
      }
      return result;
    }

    @Override
    public String createdBy() {
      return "LABEL " + labels.entrySet().stream()
          .map(e -> e.getKey() + "=" + quoteIfNeeded(e.getValue()))
          .collect(Collectors.joining(" "));
    }
  }

  /** EXPOSE: a port the container listens on, normalized to {@code port/protocol}. */
  record Expose(String port) implements ConfigStep {
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?(?:/(tcp|udp|sctp))?");

    public Expose {
      var m = PORT.matcher(port == null ? "" : port.toLowerCase(java.util.Locale.ROOT));
      if (!m.matches() || !inRange(m.group(1)) || (m.group(2) != null && !inRange(m.group(2)))) {
        throw new IllegalArgumentException(
            "invalid port \"" + port + "\": use PORT[/tcp|udp|sctp] with PORT from 1 to 65535");
      }
      port = m.group(1) + (m.group(2) == null ? "" : "-" + m.group(2)) + "/"
          + (m.group(3) == null ? "tcp" : m.group(3));
    }

    private static boolean inRange(String digits) {
      int n = Integer.parseInt(digits);
      return n >= 1 && n <= 65535;
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      return new Expose(expander.apply(port));
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withExposedPort(port);
    }

    @Override
    public String createdBy() {
      return "EXPOSE " + port;
    }
  }

  /** VOLUME: a mount point whose data lives outside the container's layer. */
  record Volume(String path) implements ConfigStep {
    public Volume {
      requireText(path, "volume", "/data");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("volume path \"" + path + "\" must be absolute, e.g. /data");
      }
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      return new Volume(expander.apply(path));
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withVolume(path);
    }

    @Override
    public String createdBy() {
      return "VOLUME " + jsonArray(List.of(path));
    }
  }

  /** STOPSIGNAL: the signal that asks the container to stop. */
  record StopSignal(String signal) implements ConfigStep {
    private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z][A-Z0-9+-]*|[0-9]{1,2}");

    public StopSignal {
      if (signal == null || !SIGNAL.matcher(signal).matches()) {
        throw new IllegalArgumentException(
            "invalid stop signal \"" + signal + "\": use a name such as SIGTERM or a number");
      }
    }

    @Override
    public ConfigStep expand(UnaryOperator<String> expander) {
      return new StopSignal(expander.apply(signal));
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withStopSignal(signal);
    }

    @Override
    public String createdBy() {
      return "STOPSIGNAL " + signal;
    }
  }

  /** HEALTHCHECK: how to tell that the container works ({@code NONE} disables it). */
  record Healthcheck(HealthCheck check) implements ConfigStep {
    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withHealthcheck(check);
    }

    @Override
    public String createdBy() {
      if (check.test().equals(List.of("NONE"))) {
        return "HEALTHCHECK NONE";
      }
      String form = check.test().isEmpty() ? "" : check.test().get(0);
      List<String> rest = check.test().isEmpty() ? List.of() : check.test().subList(1, check.test().size());
      String command = form.equals("CMD-SHELL") ? String.join(" ", rest) : jsonArray(rest);
      return "HEALTHCHECK " + HealthChecks.flags(check) + "CMD " + command;
    }
  }

  /** SHELL: the shell that shell-form commands run in. */
  record Shell(List<String> argv) implements ConfigStep {
    public Shell {
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("shell needs a program, e.g. shell(\"/bin/sh\", \"-c\")");
      }
      argv = List.copyOf(argv);
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config.withShell(argv);
    }

    @Override
    public String createdBy() {
      return "SHELL " + jsonArray(argv);
    }
  }

  /** ARG: a build argument with an optional default, usable as {@code $NAME} in later steps. */
  record Arg(String name, String defaultValue) implements ConfigStep {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Arg {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "invalid build argument name \"" + name + "\": use letters, digits and _");
      }
    }

    @Override
    public ContainerConfig applyTo(ContainerConfig config) {
      return config;
    }

    @Override
    public boolean recordedInHistory() {
      return false;
    }

    @Override
    public String createdBy() {
      return "ARG " + name + (defaultValue == null ? "" : "=" + defaultValue);
    }
  }

  private static void requireText(String value, String what, String example) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty, e.g. " + example);
    }
  }

  private static String jsonArray(List<String> values) {
    return values.stream()
        .map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String quoteIfNeeded(String value) {
    return value.isEmpty() || value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\\')
        ? "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
        : value;
  }
}
