package dev.minke.kernel.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code run_notebooks.py} (a resource next to this class) with Debian's Python, whose
 * nbclient and nbconvert execute the notebooks and render their HTML pages. Its output goes to
 * this process's; it prints each failure as {@code NOTEBOOK: cell INDEX (FIRST LINE): ERROR}.
 */
final class NotebookRunner {
  static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "run_notebooks.py";

  private NotebookRunner() {}

  /** Executes {@code notebooks} in order and returns the script's exit status (0: every cell ran). */
  static int run(List<Path> notebooks, Path outDir, int cellTimeoutSeconds, Map<String, String> env, Path scratch)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      throw new DocsException(PYTHON + " is not installed", "install Debian's python3-nbclient and jupyter-nbconvert");
    }
    Path script = scratch.resolve(SCRIPT);
    try (InputStream in = NotebookRunner.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new DocsException("the kernel jar has no " + SCRIPT, "rebuild it: mvn -B -DskipTests package");
      }
      Files.copy(in, script);
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "--out", outDir.toString(),
        "--timeout", Integer.toString(cellTimeoutSeconds)));
    notebooks.forEach(n -> command.add(n.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      return process.waitFor();
    } finally {
      // Interrupted (Ctrl-C): the Python side and its kernels go with us.
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
  }
}
