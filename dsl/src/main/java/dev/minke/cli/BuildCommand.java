package dev.minke.cli;

import dev.minke.build.BuildOptions;
import dev.minke.build.BuildResult;
import dev.minke.build.BuildStage;
import dev.minke.build.Builder;
import dev.minke.build.DockerfileBuild;
import dev.minke.build.DockerfileStages;
import dev.minke.build.dockerfile.Dockerfile;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code minke build [-t REF] [-f FILE] [--build-arg K=V] [--target S] [--no-cache] [--progress
 * auto|plain|tty] CONTEXT}: builds a Dockerfile's target stage (the last by default) and the
 * stages it needs. Everything that can be wrong with the command line or the Dockerfile is found
 * before the build starts, so such errors leave the store as it was.
 */
final class BuildCommand implements Command {
  @Override
  public String usage() {
    return "build [-t REF] [-f FILE] [--build-arg K=V] [--target S] [--no-cache] [--progress auto|plain|tty] CONTEXT";
  }

  @Override
  public String summary() {
    return "Build an image from a Dockerfile";
  }

  /** The command line, parsed. */
  private record Request(List<Reference> tags, Path dockerfile, Path context, Map<String, String> buildArgs,
      String target, boolean noCache, String progress) {}

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Request request = parse(args);
    if (!Files.isDirectory(request.context())) {
      throw new UsageException("the build context " + request.context() + " is not a directory");
    }
    if (!Files.isRegularFile(request.dockerfile())) {
      throw new UsageException("cannot read the Dockerfile " + request.dockerfile() + ": no such file");
    }
    DockerfileStages stages = DockerfileStages.translate(Dockerfile.read(request.dockerfile()));
    DockerfileBuild build = DockerfileBuild.of(stages, request.buildArgs());
    BuildStage target = build.target(request.target());

    BuildProgress progress = BuildProgress.of(request.progress(), out);
    BuildOptions options = BuildOptions.defaults().withContextDir(request.context())
        .withNoCache(request.noCache()).withListener(progress);
    for (Map.Entry<String, String> arg : request.buildArgs().entrySet()) {
      options = options.withBuildArg(arg.getKey(), arg.getValue());
    }
    Store store = Store.openDefault();
    BuildResult result;
    try {
      result = new Builder(store).build(build.stages(), target, options);
    } finally {
      progress.finish();
    }
    for (Reference tag : request.tags()) {
      store.images().tag(tag, result.manifestDescriptor());
    }
    out.println("Successfully built " + result.manifestDescriptor().digest());
    for (Reference tag : request.tags()) {
      out.println("Successfully tagged " + tag.familiar());
    }
    return 0;
  }

  private static Request parse(List<String> args) throws UsageException {
    List<Reference> tags = new ArrayList<>();
    Map<String, String> buildArgs = new LinkedHashMap<>();
    String file = null;
    String target = null;
    String progress = "auto";
    boolean noCache = false;
    List<String> positional = new ArrayList<>();
    List<String> words = split(args);
    for (int i = 0; i < words.size(); i++) {
      String arg = words.get(i);
      switch (arg) {
        case "-t", "--tag" -> tags.add(Reference.parse(value(words, i++)));
        case "-f", "--file" -> file = value(words, i++);
        case "--target" -> target = value(words, i++);
        case "--progress" -> progress = value(words, i++);
        case "--build-arg" -> {
          String pair = value(words, i++);
          int sep = pair.indexOf('=');
          if (sep > 0) {
            buildArgs.put(pair.substring(0, sep), pair.substring(sep + 1));
          } else if (System.getenv(pair) != null) {
            buildArgs.put(pair, System.getenv(pair)); // Docker takes a bare NAME from the environment.
          }
        }
        case "--no-cache" -> noCache = true;
        default -> {
          if (arg.startsWith("-") && arg.length() > 1) {
            throw new UsageException("unknown option " + arg);
          }
          positional.add(arg);
        }
      }
    }
    if (positional.size() != 1) {
      throw new UsageException("expected one build context directory, got " + positional.size());
    }
    if (!List.of("auto", "plain", "tty").contains(progress)) {
      throw new UsageException("--progress must be auto, plain or tty, not \"" + progress + "\"");
    }
    Path context = Path.of(positional.get(0)).toAbsolutePath().normalize();
    Path dockerfile = file == null ? context.resolve("Dockerfile") : Path.of(file).toAbsolutePath().normalize();
    return new Request(tags, dockerfile, context, buildArgs, target, noCache, progress);
  }

  /** {@code --name=value} as two words, as if written {@code --name value}. */
  private static List<String> split(List<String> args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        words.add(arg.substring(0, eq));
        words.add(arg.substring(eq + 1));
      } else {
        words.add(arg);
      }
    }
    return words;
  }

  private static String value(List<String> words, int i) throws UsageException {
    if (i + 1 >= words.size()) {
      throw new UsageException(words.get(i) + " needs a value");
    }
    return words.get(i + 1);
  }
}
