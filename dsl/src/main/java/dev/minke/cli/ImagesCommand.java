package dev.minke.cli;

import dev.minke.dsl.Images;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.List;

/** {@code minke images}: the images in the store, like {@code docker images}. */
final class ImagesCommand implements Command {
  @Override
  public String usage() {
    return "images";
  }

  @Override
  public String summary() {
    return "List the images in the store";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Args.none(args);
    out.print(Images.table(Images.list(Store.openDefault())));
    return 0;
  }
}
