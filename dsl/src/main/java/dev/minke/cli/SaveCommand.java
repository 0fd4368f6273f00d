package dev.minke.cli;

import dev.minke.registry.Reference;
import dev.minke.store.ImageArchive;
import dev.minke.store.Store;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code minke save [-o FILE] IMAGE...}: one tar that is both an OCI layout and a {@code docker
 * load} archive, to FILE or standard output.
 */
final class SaveCommand implements Command {
  @Override
  public String usage() {
    return "save [-o FILE] IMAGE...";
  }

  @Override
  public String summary() {
    return "Save images to a tar that docker load, skopeo and umoci read (stdout without -o)";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    Args parsed = Args.parse(args, List.of("-o", "--output"), List.of());
    List<Reference> refs = parsed.atLeastOne("image").stream().map(Reference::parse).toList();
    Store store = Store.openDefault();
    String output = parsed.option("-o", parsed.option("--output"));
    if (output == null) {
      ImageArchive.save(store, refs, out);
      out.flush();
      return 0;
    }
    // Written beside the target and renamed, so FILE never holds half an archive.
    Path target = Path.of(output).toAbsolutePath();
    Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
    try {
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
        ImageArchive.save(store, refs, file);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return 0;
  }
}
