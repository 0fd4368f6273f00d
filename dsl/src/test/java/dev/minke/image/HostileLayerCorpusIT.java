package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.image.HostileLayers.Case;
import dev.minke.image.HostileLayers.Outcome;
import dev.minke.os.FileTrees;
import dev.minke.os.Posix;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tar of {@link HostileLayers} goes through the real command line, {@code minke layer apply
 * TAR DIR}, in a separate JVM inside a private mount namespace, next to watched sentinel files: the
 * command applies the layer inside the root or refuses it with a one-line reason, and nothing
 * outside the root changes (content, mode, owner, times, no new files), even when it fails.
 *
 * <p>CI form: one JVM runs every command ({@link CliLoop}). {@code -Dminke.hostileCase=NAME} runs
 * only the cases whose name contains NAME. Long form: {@code -Dminke.hostileFreshJvm=true} starts
 * a JVM per layer, so exit codes and crashes are the process's own, and {@code
 * -Dminke.hostileStacks=N} also applies N random stacks of 2 to 4 corpus layers on top of each
 * other ({@code -Dminke.hostileSeed} repeats a run).
 */
class HostileLayerCorpusIT {
  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final int PARALLEL = 2;

  @TempDir Path work;

  @Test
  void corpus_everyCase_appliedInsideOrRefused_nothingOutsideChanges() throws Exception {
    assumeTrue(Posix.isRoot() && Files.isExecutable(UNSHARE), "needs root and util-linux unshare");
    String only = System.getProperty("minke.hostileCase", "");
    List<Case> cases = HostileLayers.cases(fixedBase().resolve("outside")).stream()
        .filter(c -> c.name().contains(only)).toList();
    List<String> failures = runAll(cases.size(), cases::get);
    assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
        + String.join("\n\n", failures));
  }

  @Test
  void randomStacks_ofCorpusLayers_nothingOutsideChanges() throws Exception {
    int stacks = Integer.getInteger("minke.hostileStacks", 0);
    assumeTrue(stacks > 0, "long form: -Dminke.hostileStacks=N");
    assumeTrue(Posix.isRoot() && Files.isExecutable(UNSHARE), "needs root and util-linux unshare");
    long seed = Long.getLong("minke.hostileSeed", System.nanoTime());
    List<Case> cases = HostileLayers.cases(fixedBase().resolve("outside"));
    List<String> failures = runAll(stacks, i -> randomStack(seed, i, cases));
    assertTrue(failures.isEmpty(), "seed " + seed + ": " + failures.size() + " of " + stacks
        + " stacks failed:\n" + String.join("\n\n", failures));
  }

  /** Stack {@code i} of run {@code seed}: the same layers for the same seed. */
  private static Case randomStack(long seed, int i, List<Case> cases) {
    Random random = new Random(seed * 31 + i);
    List<byte[]> layers = new ArrayList<>();
    StringBuilder name = new StringBuilder("stack");
    for (int n = 2 + random.nextInt(3); n > 0; n--) {
      Case from = cases.get(random.nextInt(cases.size()));
      int layer = random.nextInt(from.layers().size());
      layers.add(from.layers().get(layer));
      name.append('+').append(from.name()).append('#').append(layer);
    }
    List<String> flags = random.nextInt(5) == 0 ? List.of("--overlay") : List.of();
    return new Case(name.toString(), "random", Outcome.EITHER, flags, layers);
  }

  private interface CaseMaker {
    Case make(int index);
  }

  /** Runs {@code minke layer apply} on {@code fixed/tars/layerN.tar} and {@code fixed/root}. */
  private interface Launcher {
    CliResult apply(List<String> flags, Path base, int layer) throws Exception;
  }

  /**
   * Where every case's directory is (or is bind-mounted): the corpus aims at one absolute path,
   * and each case still has its own sentinels.
   */
  private Path fixedBase() {
    return work.resolve("at");
  }

  private List<String> runAll(int count, CaseMaker maker) throws Exception {
    return Boolean.getBoolean("minke.hostileFreshJvm") ? runEachInItsOwnJvm(count, maker) : runInOneJvm(count, maker);
  }

  /**
   * CI form: one JVM in one private mount namespace runs every {@code minke layer apply}; the
   * cases take turns in the fixed directory.
   */
  private List<String> runInOneJvm(int count, CaseMaker maker) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process loop = new ProcessBuilder(UNSHARE.toString(), "--mount", "--propagation", "private", java,
        "-XX:+UseSerialGC", "-Xmx512m", "-cp", System.getProperty("java.class.path"), CliLoop.class.getName())
        .redirectError(work.resolve("loop.err").toFile()).start();
    try (PrintStream commands = new PrintStream(loop.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader replies = new BufferedReader(new InputStreamReader(loop.getInputStream(), StandardCharsets.UTF_8))) {
      Launcher launcher = (flags, base, layer) -> {
        List<String> command = new ArrayList<>(List.of("layer", "apply"));
        command.addAll(flags);
        command.add(base.resolve("tars/layer" + layer + ".tar").toString());
        command.add(base.resolve("root").toString());
        commands.println(String.join("\t", command));
        String reply = replies.readLine();
        if (reply == null) {
          return new CliResult(-1, "", "the minke JVM died: " + Files.readString(work.resolve("loop.err")));
        }
        String[] parts = reply.split("\t", -1);
        return new CliResult(Integer.parseInt(parts[0]), CliLoop.unescape(parts[1]), CliLoop.unescape(parts[2]));
      };
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        runCase(maker.make(i), fixedBase(), launcher).ifPresent(failures::add);
      }
      return failures;
    } finally {
      loop.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Long form: a fresh JVM for every layer, in its own private mount namespace where the case's
   * directory is bind-mounted at the fixed path, so that cases run side by side.
   */
  private List<String> runEachInItsOwnJvm(int count, CaseMaker maker) throws Exception {
    Files.createDirectories(fixedBase());
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<Optional<String>>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        Path base = work.resolve(String.format("%04d", index));
        results.add(pool.submit(() -> runCase(maker.make(index), base,
            (flags, b, layer) -> freshJvm(flags, b, fixedBase(), layer,
                b.resolveSibling(b.getFileName() + "-layer" + layer + ".out")))));
      }
      List<String> failures = new ArrayList<>();
      for (Future<Optional<String>> result : results) {
        result.get().ifPresent(failures::add);
      }
      return failures;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Applies a case's layers in order; a failure description, or empty when all is well. */
  private static Optional<String> runCase(Case c, Path base, Launcher launcher) throws Exception {
    String title = c.breakoutClass() + "/" + c.name();
    Files.createDirectories(base.resolve("tars"));
    List<Path> tars = new ArrayList<>();
    for (int i = 0; i < c.layers().size(); i++) {
      tars.add(Files.write(base.resolve("tars/layer" + i + ".tar"), c.layers().get(i)));
    }
    Path root = Files.createDirectory(base.resolve("root"));
    OutsideSentinels sentinels = new OutsideSentinels(base, root);
    List<String> problems = new ArrayList<>();
    CliResult last = null;
    for (int i = 0; i < tars.size(); i++) {
      last = launcher.apply(c.flags(), base, i);
      if (last.exitCode() != 0) {
        if (i < tars.size() - 1 && c.outcome() != Outcome.EITHER) {
          problems.add("layer " + i + " of " + tars.size() + " was refused before the last");
        }
        break;
      }
    }
    problems.addAll(outcomeProblems(c.outcome(), last));
    try {
      sentinels.assertUnchanged();
    } catch (AssertionError e) {
      problems.add(e.getMessage());
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      problems.add("the root is no longer a directory");
    }
    FileTrees.delete(base);
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(title + ": " + String.join("; ", problems) + "\n  exit " + last.exitCode()
        + "\n  stdout: " + abbreviate(last.stdout()) + "\n  stderr: " + abbreviate(last.stderr()));
  }

  /** Refusals are exit 1 with one {@code minke:} line and a hint, never a stack trace. */
  private static List<String> outcomeProblems(Outcome expected, CliResult result) {
    List<String> problems = new ArrayList<>();
    int code = result.exitCode();
    if (code != 0 && code != 1) {
      problems.add("exit code " + code + " (expected 0 or 1)");
    } else if (expected == Outcome.APPLIES && code != 0) {
      problems.add("expected the layer to apply");
    } else if (expected == Outcome.REFUSED && code != 1) {
      problems.add("expected a refusal");
    }
    if (code != 0) {
      String err = result.stderr();
      if (!err.startsWith("minke: ")) {
        problems.add("the error does not start with \"minke: \"");
      }
      if (err.contains("Exception") || err.contains("\tat ") || err.contains("java.")) {
        problems.add("the error shows Java internals instead of a reason");
      }
      if (err.lines().count() > 2) {
        problems.add("the error is longer than a reason and a hint");
      }
    }
    return problems;
  }

  record CliResult(int exitCode, String stdout, String stderr) {}

  /**
   * {@code minke layer apply fixed/tars/layerN.tar fixed/root} in a fresh JVM inside a private
   * mount namespace where {@code base} is bound at {@code fixed}.
   */
  private static CliResult freshJvm(List<String> flags, Path base, Path fixed, int layer, Path output)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(UNSHARE.toString(), "--mount", "--propagation", "private",
        "/bin/sh", "-c", "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh", base.toString(), fixed.toString(),
        java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), "dev.minke.cli.Main", "layer", "apply"));
    command.addAll(flags);
    command.add(fixed.resolve("tars/layer" + layer + ".tar").toString());
    command.add(fixed.resolve("root").toString());
    // The output goes beside the case's directory: inside it, it would be a change.
    Path err = Path.of(output + ".err");
    Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return new CliResult(-1, Files.readString(output), "timed out after 120 s");
    }
    return new CliResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String abbreviate(String text) {
    String oneLine = text.strip().replace("\n", " | ");
    return oneLine.length() > 400 ? oneLine.substring(0, 400) + "..." : oneLine;
  }
}
