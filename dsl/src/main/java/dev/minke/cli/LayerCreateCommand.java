package dev.minke.cli;

import dev.minke.image.DirectoryLayerOptions;
import dev.minke.image.DirectoryLayers;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.MediaType.Compression;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/** {@code minke layer create DIR -o FILE}: writes a directory tree as a reproducible layer blob. */
final class LayerCreateCommand implements Command {
  private static final int OUTPUT_BUFFER_BYTES = 1 << 20;

  @Override
  public String usage() {
    return "layer create DIR -o FILE [--compression gzip|zstd|none] [--mtime N]";
  }

  @Override
  public String summary() {
    return "write DIR as a layer blob and print its diffId, digest and size";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    Path sourceDir = null;
    Path outputFile = null;
    LayerWriterOptions options =
        LayerWriterOptions.defaults().withMtimeEpochSeconds(LayerWriterOptions.sourceDateEpoch());
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-o", "--output" -> outputFile = Path.of(value(args, ++i, arg));
        case "--compression" -> options = options.withCompression(compression(value(args, ++i, arg)));
        case "--mtime" -> options = options.withMtimeEpochSeconds(mtime(value(args, ++i, arg)));
        default -> {
          if (arg.startsWith("-") || sourceDir != null) {
            throw new UsageException("unexpected argument \"" + arg + "\"");
          }
          sourceDir = Path.of(arg);
        }
      }
    }
    if (sourceDir == null || outputFile == null) {
      throw new UsageException(sourceDir == null ? "missing DIR" : "missing -o FILE");
    }
    List<LayerEntry> entries = DirectoryLayers.entries(sourceDir, DirectoryLayerOptions.defaults());
    LayerBlob blob = writeAtomically(entries, options, outputFile);
    out.println("diffId " + blob.diffId());
    out.println("digest " + blob.digest());
    out.println("size   " + blob.compressedSizeBytes());
    return 0;
  }

  /** Writes next to the target and renames, so FILE never holds half a layer. */
  private static LayerBlob writeAtomically(
      List<LayerEntry> entries, LayerWriterOptions options, Path outputFile) throws Exception {
    Path absolute = outputFile.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName() + ".", ".tmp");
    try {
      LayerBlob blob;
      try (OutputStream file =
          new BufferedOutputStream(Files.newOutputStream(temp), OUTPUT_BUFFER_BYTES)) {
        blob = new LayerWriter(options).write(entries, file);
      }
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return blob;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String value(List<String> args, int index, String option) throws UsageException {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  private static Compression compression(String name) throws UsageException {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "gzip" -> Compression.GZIP;
      case "zstd" -> Compression.ZSTD;
      case "none" -> Compression.NONE;
      default -> throw new UsageException(
          "unknown compression \"" + name + "\": use gzip, zstd or none");
    };
  }

  private static long mtime(String value) throws UsageException {
    try {
      return LayerWriterOptions.parseSourceDateEpoch(value);
    } catch (RuntimeException e) {
      throw new UsageException("invalid --mtime \"" + value + "\": expected seconds since the epoch");
    }
  }
}
