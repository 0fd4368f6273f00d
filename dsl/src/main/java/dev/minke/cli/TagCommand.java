package dev.minke.cli;

import dev.minke.dsl.Image;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.List;

/** {@code minke tag SOURCE TARGET}: gives an image another name. */
final class TagCommand implements Command {
  @Override
  public String usage() {
    return "tag SOURCE TARGET";
  }

  @Override
  public String summary() {
    return "Give an image another name";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    List<String> names = Args.parse(args, List.of(), List.of()).positional(2);
    Reference target = Reference.parse(names.get(1));
    Image.lookup(Store.openDefault(), Reference.parse(names.get(0))).tag(target.toString());
    return 0;
  }
}
