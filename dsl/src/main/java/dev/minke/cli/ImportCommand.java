package dev.minke.cli;

import dev.minke.build.BuildResult;
import dev.minke.build.RootfsImport;
import dev.minke.image.LayerWriterOptions;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code minke import ROOTFS.tar REF}: a root filesystem tarball as a one-layer image. */
final class ImportCommand implements Command {
  @Override
  public String usage() {
    return "import ROOTFS.tar REF";
  }

  @Override
  public String summary() {
    return "Make a one-layer image from a root filesystem tarball (like docker import)";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    List<String> values = Args.parse(args, List.of(), List.of()).positional(2);
    Reference tag = Reference.parse(values.get(1));
    BuildResult result = RootfsImport.importTar(Store.openDefault(), Path.of(values.get(0)), tag,
        LayerWriterOptions.sourceDateEpoch());
    out.println(result.manifestDescriptor().digest());
    return 0;
  }
}
