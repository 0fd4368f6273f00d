package dev.minke.cli;

import dev.minke.error.MinkeException;
import dev.minke.image.ApplyOptions;
import dev.minke.image.ApplyReport;
import dev.minke.image.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code minke layer apply [--overlay] TAR DIR}: extracts one layer tar, hostile-input safe. */
final class LayerApplyCommand implements Command {
  @Override
  public String usage() {
    return "layer apply [--overlay] TAR DIR";
  }

  @Override
  public String summary() {
    return "Apply a layer tar (plain, gzip or zstd; - for stdin) to a directory, refusing"
        + " entries that reach outside it.";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    ApplyOptions options = ApplyOptions.defaults();
    List<String> operands = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--overlay")) {
        options = options.withMode(ApplyOptions.Mode.OVERLAY);
      } else if (arg.startsWith("--")) {
        throw new UsageException("unknown option " + arg);
      } else {
        operands.add(arg);
      }
    }
    if (operands.size() != 2) {
      throw new UsageException("expected TAR and DIR, got " + operands.size() + " arguments");
    }
    Path dir = Path.of(operands.get(1));
    Files.createDirectories(dir);
    ApplyReport report;
    try (InputStream layer = open(operands.get(0))) {
      report = LayerApplier.apply(layer, dir, options);
    }
    out.printf(
        "applied %d files, %d directories, %d symlinks, %d hardlinks, %d special files,"
            + " %d whiteouts (%d bytes) to %s%n",
        report.files(), report.directories(), report.symlinks(), report.hardlinks(),
        report.specialFiles(), report.whiteouts(), report.totalBytes(), dir);
    for (String skipped : report.skipped()) {
      out.println("skipped " + skipped);
    }
    return 0;
  }

  private static InputStream open(String tar) throws IOException {
    if (tar.equals("-")) {
      return System.in;
    }
    Path path = Path.of(tar);
    if (!Files.isRegularFile(path)) {
      throw new MinkeException(
          "layer tar \"" + tar + "\" is not a readable file", "check the path to the tar");
    }
    return Files.newInputStream(path);
  }
}
