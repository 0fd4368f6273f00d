package dev.minke.cli;

import dev.minke.registry.Reference;
import dev.minke.store.ImagePush;
import dev.minke.store.PushOptions;
import dev.minke.store.PushResult;
import dev.minke.store.Store;
import dev.minke.store.TransferEvent;
import java.io.PrintStream;
import java.util.List;

/** {@code minke push SOURCE [TARGET]}: sends an image to a registry, under TARGET if given. */
final class PushCommand implements Command {
  @Override
  public String usage() {
    return "push SOURCE [TARGET]";
  }

  @Override
  public String summary() {
    return "Push an image to a registry (as TARGET when given)";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    List<String> names = Args.parse(args, List.of(), List.of()).positional();
    if (names.isEmpty() || names.size() > 2) {
      throw new UsageException("expected SOURCE [TARGET]");
    }
    Reference source = Reference.parse(names.get(0));
    Reference target = names.size() == 2 ? Reference.parse(names.get(1)) : source;
    PushOptions options = PushOptions.defaults().withListener(event -> {
      String status = switch (event.kind()) {
        case DONE -> "Pushed";
        case EXISTS -> "Layer already exists";
        case MOUNTED -> "Mounted";
        default -> null;
      };
      if (status != null) {
        synchronized (out) {
          out.println(event.digest().shortHex() + ": " + status);
        }
      }
    });
    out.println("The push refers to repository [" + target.name() + "]");
    PushResult pushed = ImagePush.push(Store.openDefault(), source, target, options);
    out.println((target.tag() == null ? "latest" : target.tag()) + ": digest: " + pushed.digest());
    return 0;
  }
}
