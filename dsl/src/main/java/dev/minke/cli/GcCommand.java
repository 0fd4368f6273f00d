package dev.minke.cli;

import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.List;

/** {@code minke gc}: frees blobs and snapshots no image needs. */
final class GcCommand implements Command {
  @Override
  public String usage() {
    return "gc";
  }

  @Override
  public String summary() {
    return "Remove blobs and snapshots that no image needs, and leftover temp files";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Args.none(args);
    out.println(Store.openDefault().gc());
    return 0;
  }
}
