package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Helpers the layer tests share: writing to memory, reading tars back, running host tools. */
final class TarTestSupport {
  private TarTestSupport() {}

  /** A written layer: the blob's bytes and what the writer reported. */
  record Written(byte[] bytes, LayerBlob blob) {}

  static Written write(List<LayerEntry> entries, LayerWriterOptions options) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LayerBlob blob = new LayerWriter(options).write(entries, out);
    return new Written(out.toByteArray(), blob);
  }

  static byte[] decompress(byte[] blob, MediaType.Compression compression) throws IOException {
    try (InputStream in = Compressions.decompress(new ByteArrayInputStream(blob), compression)) {
      return in.readAllBytes();
    }
  }

  static List<TarArchiveEntry> readTar(byte[] tar) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.add(e);
      }
    }
    return entries;
  }

  static List<String> names(List<TarArchiveEntry> entries) {
    return entries.stream().map(TarArchiveEntry::getName).toList();
  }

  /** Runs a host command and returns its stdout; fails the test on a non-zero exit. */
  static String run(Path workDir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    p.waitFor(60, TimeUnit.SECONDS);
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + text);
    return text;
  }

  static boolean hasCommand(String name) {
    for (String dir : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
