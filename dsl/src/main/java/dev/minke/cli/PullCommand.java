package dev.minke.cli;

import dev.minke.registry.Reference;
import dev.minke.store.ImagePull;
import dev.minke.store.PullOptions;
import dev.minke.store.PullPolicy;
import dev.minke.store.PullResult;
import dev.minke.store.Store;
import dev.minke.store.TransferEvent;
import java.io.PrintStream;
import java.util.List;

/** {@code minke pull [--platform OS/ARCH[/VARIANT]] REF}: fetches an image from its registry. */
final class PullCommand implements Command {
  @Override
  public String usage() {
    return "pull [--platform OS/ARCH[/VARIANT]] REF";
  }

  @Override
  public String summary() {
    return "Pull an image from a registry";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Args parsed = Args.parse(args, List.of("--platform"), List.of());
    Reference reference = Reference.parse(parsed.positional(1).get(0));
    PullOptions options = PullOptions.defaults().withPolicy(PullPolicy.ALWAYS).withListener(event -> {
      if (event.kind() == TransferEvent.Kind.DONE || event.kind() == TransferEvent.Kind.EXISTS) {
        synchronized (out) {
          out.println(event.digest().shortHex() + ": " + (event.kind() == TransferEvent.Kind.DONE
              ? "Pull complete" : "Already exists"));
        }
      }
    });
    if (parsed.option("--platform") != null) {
      options = options.withPlatform(PlatformArg.parse(parsed.option("--platform")));
    }
    out.println((reference.tag() == null ? "" : reference.tag() + ": ") + "Pulling from " + reference.familiarName());
    PullResult pulled = ImagePull.pull(Store.openDefault(), reference, options);
    out.println("Digest: " + pulled.remoteDigest());
    out.println("Status: " + (pulled.upToDate() ? "Image is up to date for " : "Downloaded newer image for ")
        + reference.familiar());
    out.println(reference);
    return 0;
  }
}
