package dev.minke.cli;

import dev.minke.build.dockerfile.Dockerfile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code minke dockerfile dump FILE}: the parse tree, in BuildKit's AST dump format. */
final class DockerfileDumpCommand implements Command {
  @Override
  public String usage() {
    return "dockerfile dump FILE";
  }

  @Override
  public String summary() {
    return "Parse a Dockerfile and print its instructions as BuildKit's parser dumps them";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    String file = Args.parse(args, List.of(), List.of()).positional(1).get(0);
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new UsageException("cannot read " + file + ": no such file");
    }
    out.print(Dockerfile.read(path).dump());
    out.flush();
    return 0;
  }
}
