package dev.minke.cli;

import dev.minke.registry.Reference;
import dev.minke.store.ImageArchive;
import dev.minke.store.LoadOptions;
import dev.minke.store.Store;
import dev.minke.store.StoredImage;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code minke load [-i FILE] [--name REPO]}: loads every image of a {@code minke save}, {@code
 * docker save} or OCI archive, from FILE or standard input, and prints what it loaded as Docker
 * does.
 */
final class LoadCommand implements Command {
  private final InputStream stdin;

  LoadCommand() {
    this(System.in);
  }

  LoadCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public String usage() {
    return "load [-i FILE] [--name REPO]";
  }

  @Override
  public String summary() {
    return "Load images from a docker save, minke save or OCI archive tar (stdin without -i)";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    Args parsed = Args.parse(args, List.of("-i", "--input", "--name"), List.of());
    parsed.positional(0);
    String input = parsed.option("-i", parsed.option("--input"));
    LoadOptions options = LoadOptions.defaults().withSourceName(input == null ? "stdin" : input);
    if (parsed.option("--name") != null) {
      // For OCI archives that name images only by a bare tag (`latest`).
      options = options.withRepository(Reference.parse(parsed.option("--name")));
    }
    List<StoredImage> loaded;
    try (InputStream in = new BufferedInputStream(
        input == null ? stdin : Files.newInputStream(Path.of(input)), 1 << 20)) {
      loaded = ImageArchive.load(Store.openDefault(), in, options);
    }
    for (StoredImage image : loaded) {
      out.println(image.reference()
          .map(ref -> "Loaded image: " + ref.familiar())
          .orElse("Loaded image ID: " + image.manifest().digest()));
    }
    return 0;
  }
}
