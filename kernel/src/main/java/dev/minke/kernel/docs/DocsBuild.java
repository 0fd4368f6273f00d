package dev.minke.kernel.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code minke docs --out DIR [--notebooks DIR] [--timeout SECONDS] [NOTEBOOK...]}: executes the
 * tutorial notebooks headless in a private environment ({@link DocsEnvironment}) and writes each
 * executed notebook and its HTML page to DIR. Exit status 0 when every cell ran, 1 when a cell
 * failed (each failure is printed with its notebook and cell), 2 for a usage error.
 */
public final class DocsBuild {
  public static final String USAGE = """
      usage: minke docs --out DIR [--notebooks DIR] [--timeout SECONDS] [NOTEBOOK...]
        --out DIR          where the executed notebooks (.ipynb) and their pages (.html) go
        --notebooks DIR    the notebooks to run (default: ./notebooks)
        --timeout SECONDS  the longest a cell may run (default 300)
        NOTEBOOK...        only these, e.g. 03-dockerfile-and-cache (default: every *.ipynb, in name order)""";

  private final Options options;
  private final UnaryOperator<Path> kernelInstaller;

  /** {@code kernelInstaller} installs the kernelspec into the prefix it is given. */
  public DocsBuild(Options options, UnaryOperator<Path> kernelInstaller) {
    this.options = options;
    this.kernelInstaller = kernelInstaller;
  }

  /** What to run and where the results go. */
  public record Options(Path outDir, Path notebooksDir, int cellTimeoutSeconds, List<String> only) {
    public Options {
      only = List.copyOf(only);
    }

    /** Parses the arguments after {@code docs}; throws IllegalArgumentException with the reason. */
    public static Options parse(List<String> args) {
      Path out = null;
      Path notebooks = Path.of("notebooks");
      int timeout = 300;
      List<String> only = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        switch (arg) {
          case "--out" -> out = Path.of(value(args, i++));
          case "--notebooks" -> notebooks = Path.of(value(args, i++));
          case "--timeout" -> timeout = Integer.parseInt(value(args, i++));
          default -> {
            if (arg.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            only.add(arg.endsWith(".ipynb") ? arg.substring(0, arg.length() - ".ipynb".length()) : arg);
          }
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("--out DIR is required");
      }
      return new Options(out.toAbsolutePath(), notebooks.toAbsolutePath(), timeout, only);
    }

    private static String value(List<String> args, int i) {
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(args.get(i) + " needs a value");
      }
      return args.get(i + 1);
    }
  }

  /** Runs the notebooks; returns the exit status. */
  public int run() throws IOException, InterruptedException {
    List<Path> notebooks = notebooks();
    Files.createDirectories(options.outDir());
    int status;
    try (DocsEnvironment environment = DocsEnvironment.create(kernelInstaller)) {
      status = NotebookRunner.run(notebooks, options.outDir(), options.cellTimeoutSeconds(),
          environment.environment(), environment.root());
    }
    System.out.println(status == 0
        ? "minke docs: " + notebooks.size() + " notebooks executed; pages in " + options.outDir()
        : "minke docs: some cells failed (listed above); what ran is in " + options.outDir());
    return status == 0 ? 0 : 1;
  }

  /** The notebooks to run, in name order. */
  List<Path> notebooks() throws IOException {
    if (!Files.isDirectory(options.notebooksDir())) {
      throw new DocsException("no notebooks directory " + options.notebooksDir(),
          "run from the source tree or pass --notebooks DIR");
    }
    List<Path> all;
    try (Stream<Path> files = Files.list(options.notebooksDir())) {
      all = files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
    if (options.only().isEmpty()) {
      return all;
    }
    List<Path> chosen = new ArrayList<>();
    for (String name : options.only()) {
      Path notebook = options.notebooksDir().resolve(name + ".ipynb");
      if (!all.contains(notebook)) {
        throw new DocsException("no notebook " + name + " in " + options.notebooksDir(),
            "choose among " + all.stream().map(p -> p.getFileName().toString()).toList());
      }
      chosen.add(notebook);
    }
    return chosen;
  }
}
