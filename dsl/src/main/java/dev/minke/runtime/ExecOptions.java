package dev.minke.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How to run one more process in a running container, Docker's {@code exec} flags as a value:
 * the command, environment added to the container's, working directory and user. Unset values
 * come from the container's own process ({@code config.json}).
 */
public record ExecOptions(List<String> command, Map<String, String> env, String workdir, String user) {

  public ExecOptions {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    if (command.isEmpty()) {
      throw new IllegalArgumentException("exec needs a command, e.g. ExecOptions.of(\"sh\", \"-c\", \"ls\")");
    }
    if (workdir != null && !workdir.startsWith("/")) {
      throw new IllegalArgumentException("exec workdir \"" + workdir + "\" must be an absolute path");
    }
    for (String name : env.keySet()) {
      if (name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("environment variable name \"" + name + "\" must be non-empty without '='");
      }
    }
  }

  /** Runs {@code command} with the container's environment, working directory and user. */
  public static ExecOptions of(String... command) {
    return of(List.of(command));
  }

  public static ExecOptions of(List<String> command) {
    return new ExecOptions(command, null, null, null);
  }

  /** Sets one environment variable on top of the container's ({@code -e NAME=value}). */
  public ExecOptions withEnv(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(name, value);
    return new ExecOptions(command, more, workdir, user);
  }

  /** The working directory ({@code -w}); absolute. */
  public ExecOptions withWorkdir(String newWorkdir) {
    return new ExecOptions(command, env, newWorkdir, user);
  }

  /** The user ({@code -u}): {@code name}, {@code uid}, {@code name:group} or {@code uid:gid}. */
  public ExecOptions withUser(String newUser) {
    return new ExecOptions(command, env, workdir, newUser);
  }

  /**
   * The process to run: the container's, with these options on top. Capabilities, rlimits and
   * no_new_privs stay the container's. {@code accounts} is read only when a user is given.
   */
  RuntimeSpec.Process applyTo(RuntimeSpec.Process container, Supplier<ImageAccounts> accounts) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String entry : container.env()) {
      int eq = entry.indexOf('=');
      merged.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    merged.putAll(env);
    List<String> envList = new ArrayList<>();
    merged.forEach((k, v) -> envList.add(k + "=" + v));
    RuntimeSpec.User processUser = user == null ? container.user() : accounts.get().resolve(user);
    return new RuntimeSpec.Process(false, processUser, command, envList,
        workdir == null ? container.cwd() : workdir, container.capabilities(), container.rlimits(),
        container.noNewPrivileges());
  }
}
