package dev.minke.cli;

import dev.minke.image.Descriptor;
import dev.minke.registry.Reference;
import dev.minke.store.ImageNotFoundException;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code minke rmi IMAGE...}: removes names; an image whose last name goes is removed from the
 * index (its blobs are freed by {@code minke gc}). A digest reference removes every name of it.
 */
final class RmiCommand implements Command {
  @Override
  public String usage() {
    return "rmi IMAGE...";
  }

  @Override
  public String summary() {
    return "Remove image names; `minke gc` then frees their space";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    List<String> names = Args.parse(args, List.of(), List.of()).atLeastOne("image");
    Store store = Store.openDefault();
    for (String name : names) {
      Reference ref = Reference.parse(name);
      if (ref.digest() != null) {
        Descriptor d = store.require(ref);
        store.images().removeAll(d.digest());
        out.println("Deleted: " + d.digest());
        continue;
      }
      Optional<Descriptor> removed = store.images().untag(ref);
      if (removed.isEmpty()) {
        throw new ImageNotFoundException(ref.familiar());
      }
      out.println("Untagged: " + ref.familiar());
      boolean stillNamed = store.images().list().stream()
          .anyMatch(i -> i.manifest().digest().equals(removed.get().digest()));
      if (!stillNamed) {
        out.println("Deleted: " + removed.get().digest());
      }
    }
    return 0;
  }
}
