package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.minke.dsl.Images;
import dev.minke.store.Store;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kernel as a user installs it, once per test JVM: {@code minke kernel install --prefix}
 * into target/, run from the packaged jars exactly as bin/minke runs it, and a store with the
 * busybox image for the kernel to build on. Python tests then run against it with Debian's
 * Jupyter ({@code /usr/bin/python3}; the PATH's python3 may be another one).
 */
final class InstalledKernel {
  static final Path TARGET = Path.of(System.getProperty("minke.kernel.dir", "target")).toAbsolutePath();
  static final Path PREFIX = TARGET.resolve("it-jupyter");
  static final Path HOME = TARGET.resolve("it-minke-home");
  static final Path PYTHON_TESTS = TARGET.getParent().resolve("src/test/python");
  static final String PYTHON = "/usr/bin/python3";

  private static Path installed;

  private InstalledKernel() {}

  static synchronized Path spec() throws IOException, InterruptedException {
    if (installed == null) {
      Files.createDirectories(HOME);
      Images.busybox(Store.open(HOME));
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.awt.headless=true", "-cp", classPath(), KernelCli.class.getName(),
          "kernel", "install", "--prefix", PREFIX.toString()));
      Result result = run(command, Map.of(), TARGET, 300);
      assertEquals(0, result.exit(), "kernel install failed:\n" + result.output());
      installed = PREFIX.resolve("share/jupyter/kernels/minke");
    }
    return installed;
  }

  /** The environment every Jupyter client of the test needs: where the kernelspec and store are. */
  static Map<String, String> jupyterEnvironment() {
    return Map.of(
        "JUPYTER_PATH", PREFIX.resolve("share/jupyter").toString(),
        "JUPYTER_RUNTIME_DIR", TARGET.resolve("it-jupyter-runtime").toString(),
        "JUPYTER_DATA_DIR", TARGET.resolve("it-jupyter-data").toString(),
        "MINKE_HOME", HOME.toString(),
        "PYDEVD_DISABLE_FILE_VALIDATION", "1",
        "PYTHONDONTWRITEBYTECODE", "1");
  }

  /** Runs a Python test module of src/test/python with unittest; returns its output and exit. */
  static Result python(String module, int timeoutSeconds) throws IOException, InterruptedException {
    spec();
    return run(List.of(PYTHON, "-m", "unittest", "-v", module), jupyterEnvironment(), PYTHON_TESTS, timeoutSeconds);
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command, Map<String, String> env, Path dir, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(TARGET, "it-run", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
        return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The packaged kernel jar and its dependencies, as bin/minke puts them on the class path. */
  static String classPath() throws IOException {
    List<String> entries = new ArrayList<>();
    try (var jars = Files.list(TARGET)) {
      jars.filter(p -> p.getFileName().toString().matches("minke-kernel-.*\\.jar"))
          .filter(p -> !p.toString().endsWith("-tests.jar") && !p.toString().endsWith("-sources.jar"))
          .forEach(p -> entries.add(p.toString()));
    }
    try (var jars = Files.list(TARGET.resolve("lib"))) {
      jars.sorted().forEach(p -> entries.add(p.toString()));
    }
    return String.join(File.pathSeparator, entries);
  }
}
