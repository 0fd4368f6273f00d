package dev.minke.kernel;

import dev.minke.error.MinkeException;
import dev.minke.kernel.docs.DocsBuild;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code minke kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--no-cds]}:
 * makes the notebook kernel known to Jupyter (see {@link KernelSpecInstaller}); {@code minke docs
 * --out DIR}: executes the tutorial notebooks headless (see {@link DocsBuild}).
 */
public final class KernelCli {
  private static final String USAGE = """
      usage: minke kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--no-cds]
        --user        for this user (the default): ~/.local/share/jupyter/kernels/minke
        --sys-prefix  into the Python environment Jupyter runs in
        --prefix DIR  into DIR/share/jupyter/kernels/minke (add DIR/share/jupyter to JUPYTER_PATH)
        --name NAME   the kernelspec's name (default minke)
        --no-cds      skip the class-data archive that halves the kernel's start-up
      or:    minke docs --out DIR [--notebooks DIR] [--timeout SECONDS] [NOTEBOOK...]""";

  private KernelCli() {}

  public static void main(String[] args) {
    try {
      System.exit(run(List.of(args)));
    } catch (KernelInstallException e) {
      System.err.println("minke kernel: " + e.getMessage());
      System.exit(1);
    } catch (MinkeException | IOException e) {
      System.err.println("minke docs: " + e.getMessage());
      System.exit(1);
    } catch (InterruptedException e) {
      System.err.println("minke docs: interrupted");
      System.exit(130);
    }
  }

  static int run(List<String> args) throws IOException, InterruptedException {
    if (!args.isEmpty() && args.get(0).equals("docs")) {
      return docs(args.subList(1, args.size()));
    }
    if (args.size() < 2 || !args.get(0).equals("kernel") || !args.get(1).equals("install")) {
      System.err.println(USAGE);
      return 2;
    }
    List<String> scope = new ArrayList<>();
    String name = "minke";
    boolean classDataArchive = true;
    for (int i = 2; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--user", "--sys-prefix" -> scope.add(arg);
        case "--prefix" -> {
          if (i + 1 >= args.size()) {
            System.err.println("minke kernel install: --prefix needs a directory\n" + USAGE);
            return 2;
          }
          scope.add(arg);
          scope.add(Path.of(args.get(++i)).toAbsolutePath().toString());
        }
        case "--name" -> {
          if (i + 1 >= args.size()) {
            System.err.println("minke kernel install: --name needs a value\n" + USAGE);
            return 2;
          }
          name = args.get(++i);
        }
        case "--no-cds" -> classDataArchive = false;
        default -> {
          System.err.println("minke kernel install: unknown option " + arg + "\n" + USAGE);
          return 2;
        }
      }
    }
    if (scope.stream().filter(s -> s.startsWith("--")).count() > 1) {
      System.err.println("minke kernel install: choose one of --user, --sys-prefix, --prefix\n" + USAGE);
      return 2;
    }
    if (scope.isEmpty()) {
      scope.add("--user");
    }
    Path installed = new KernelSpecInstaller(name, scope, classDataArchive).install();
    System.out.println("installed kernelspec " + name + " in " + installed
        + "\nstart it with: jupyter notebook (choose \"Minke (Java)\") or jupyter console --kernel " + name);
    return 0;
  }

  /** The docs build, with the kernelspec installed (no class-data archive: one build only) into its private prefix. */
  private static int docs(List<String> args) throws IOException, InterruptedException {
    DocsBuild.Options options;
    try {
      options = DocsBuild.Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("minke docs: " + e.getMessage() + "\n" + DocsBuild.USAGE);
      return 2;
    }
    return new DocsBuild(options, prefix -> new KernelSpecInstaller("minke",
        List.of("--prefix", prefix.toString()), false).install()).run();
  }
}
