package dev.minke.cli;

import dev.minke.registry.Reference;
import dev.minke.store.ImageArchive;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code minke export --oci DIR IMAGE...}: writes images as a standalone OCI image layout. */
final class ExportCommand implements Command {
  @Override
  public String usage() {
    return "export --oci DIR IMAGE...";
  }

  @Override
  public String summary() {
    return "Write images to DIR as an OCI image layout (for umoci, skopeo oci:DIR)";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    Args parsed = Args.parse(args, List.of("--oci"), List.of());
    String dir = parsed.option("--oci");
    if (dir == null) {
      throw new UsageException("missing --oci DIR (the only export format so far)");
    }
    List<Reference> refs = parsed.atLeastOne("image").stream().map(Reference::parse).toList();
    ImageArchive.exportLayout(Store.openDefault(), refs, Path.of(dir));
    return 0;
  }
}
