package dev.minke.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs Jupyter's own commands: {@code $MINKE_JUPYTER}, else {@code jupyter} on the PATH. */
final class Jupyter {
  private Jupyter() {}

  static String command() {
    String configured = System.getenv("MINKE_JUPYTER");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "jupyter");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new KernelInstallException("Jupyter is not installed (no jupyter on the PATH)",
        "install it, e.g. sudo apt-get install jupyter-client jupyter-notebook, or set MINKE_JUPYTER to its path");
  }

  /** Runs {@code command}, returns what it printed (stdout and stderr); fails on a non-zero exit. */
  static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new KernelInstallException(String.join(" ", command) + " failed (exit " + exit + "): " + output.strip(),
            "fix what it reports, or choose another place with --user or --prefix DIR");
      }
      return output;
    } catch (IOException e) {
      throw new KernelInstallException("cannot run " + command.get(0) + ": " + e.getMessage(),
          "install Jupyter or set MINKE_JUPYTER to its path", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KernelInstallException("interrupted while running " + String.join(" ", command), "run it again", e);
    }
  }
}
