package dev.minke.build;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a RUN step reads besides the parent's filesystem: the step as written, its command
 * and shell, the process argv, the stage's ENV, the build args in scope, workdir, user and
 * network mode, and the RUN's mounts (their specs, not their contents). Its cache key is a function of this record ({@link StepInputs#run}).
 */
record RunInput(String text, String command, List<String> shell, List<String> argv, Map<String, String> env,
    SortedMap<String, String> buildArgs, String workdir, String user, String network, List<RunMount> mounts) {

  RunInput {
    shell = shell == null ? null : List.copyOf(shell);
    argv = List.copyOf(argv);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    buildArgs = Collections.unmodifiableSortedMap(new TreeMap<>(buildArgs));
    workdir = workdir == null || workdir.isEmpty() ? "/" : workdir;
    user = user == null ? "" : user;
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** The step's inputs under the stage's config and the build args declared so far. */
  static RunInput of(RunStep step, dev.minke.image.ContainerConfig config, Map<String, String> args) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : config.env()) {
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    List<String> shell = step.shellForm() ? (config.shell().isEmpty() ? List.of("/bin/sh", "-c") : config.shell())
        : null;
    String command = step.shellForm() ? step.command().get(0) : StepInputs.json(step.command());
    return new RunInput(step.createdBy(), command, shell, step.argv(config.shell()), env, new TreeMap<>(args),
        config.workingDir(), config.user(), step.flags().network(), step.flags().mounts());
  }

  /** The process environment: build args first, then ENV, which wins (as in Docker). */
  List<String> processEnv() {
    Map<String, String> all = new LinkedHashMap<>(buildArgs);
    all.putAll(env);
    return all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
