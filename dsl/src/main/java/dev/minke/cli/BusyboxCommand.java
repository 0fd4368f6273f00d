package dev.minke.cli;

import dev.minke.build.BuildResult;
import dev.minke.build.BusyboxImage;
import dev.minke.image.LayerWriterOptions;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code minke busybox}: makes the offline {@code busybox:latest} base image from Debian's
 * busybox-static. With {@code --if-missing} it does nothing when the image is already there.
 */
final class BusyboxCommand implements Command {
  @Override
  public String usage() {
    return "busybox [--if-missing] [--binary PATH]";
  }

  @Override
  public String summary() {
    return "Make the offline busybox:latest base image from Debian's busybox-static";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Args parsed = Args.parse(args, List.of("--binary"), List.of("--if-missing"));
    parsed.positional(0);
    Store store = Store.openDefault();
    if (parsed.flag("--if-missing") && store.images().resolve(BusyboxImage.NAME).isPresent()) {
      return 0;
    }
    BuildResult result = BusyboxImage.make(store, Path.of(parsed.option("--binary", "/bin/busybox")),
        LayerWriterOptions.sourceDateEpoch());
    out.println("busybox:latest " + result.manifestDescriptor().digest());
    return 0;
  }
}
