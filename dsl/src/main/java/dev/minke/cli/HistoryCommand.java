package dev.minke.cli;

import dev.minke.dsl.Image;
import dev.minke.dsl.Texts;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.List;

/** {@code minke history IMAGE}: the steps that made an image, newest first. */
final class HistoryCommand implements Command {
  @Override
  public String usage() {
    return "history IMAGE";
  }

  @Override
  public String summary() {
    return "Show the steps that made an image, newest first";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    String name = Args.parse(args, List.of(), List.of()).positional(1).get(0);
    Image image = Image.lookup(Store.openDefault(), Reference.parse(name));
    out.print(Texts.historyTable(image.history()));
    return 0;
  }
}
