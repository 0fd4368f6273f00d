package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.os.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerApplyCommandTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void run_honestLayer_appliesAndSummarizes() throws IOException {
    Path tar = writeTar("layer.tar", "etc/hostname", "box\n");

    int code = run("layer", "apply", tar.toString(), tmp.resolve("rootfs").toString());

    assertEquals(0, code, err.toString());
    assertEquals("box\n", Files.readString(tmp.resolve("rootfs/etc/hostname")));
    assertTrue(out.toString().startsWith("applied 1 files, 0 directories"), out.toString());
  }

  @Test
  void run_hostileLayer_exitsOneNamingEntry() throws IOException {
    Path tar = writeTar("evil.tar", "../../etc/passwd", "pwned");
    Files.createDirectories(tmp.resolve("rootfs"));

    int code = run("layer", "apply", tar.toString(), tmp.resolve("rootfs").toString());

    assertEquals(1, code);
    String stderr = err.toString();
    assertTrue(stderr.contains("refused layer entry \"../../etc/passwd\": path leaves the root"),
        stderr);
    assertTrue(stderr.contains("hint: "), stderr);
    assertFalse(Files.exists(tmp.resolve("etc")));
  }

  @Test
  void run_overlayFlag_writesWhiteoutDevice() throws IOException {
    assumeTrue(Posix.isRoot());
    Path tar = writeTar("wh.tar", "etc/.wh.passwd", "");

    int code = run("layer", "apply", "--overlay", tar.toString(), tmp.resolve("upper").toString());

    assertEquals(0, code, err.toString());
    Object mode = Files.getAttribute(tmp.resolve("upper/etc/passwd"), "unix:mode",
        LinkOption.NOFOLLOW_LINKS);
    assertEquals(0020000, (int) mode & 0170000);
  }

  @Test
  void run_missingOperand_usageError() {
    int code = run("layer", "apply", "only-one");

    assertEquals(2, code);
    assertTrue(err.toString().contains("usage: minke layer apply [--overlay] TAR DIR"),
        err.toString());
  }

  @Test
  void run_unknownOption_usageError() {
    assertEquals(2, run("layer", "apply", "--flat", "a", "b"));
  }

  @Test
  void run_missingTar_exitsOneWithHint() {
    int code = run("layer", "apply", tmp.resolve("nope.tar").toString(), tmp.toString());

    assertEquals(1, code);
    assertTrue(err.toString().contains("is not a readable file"), err.toString());
  }

  @Test
  void help_listsLayerApply() {
    assertEquals(0, run("help"));
    assertTrue(out.toString().contains("layer apply [--overlay] TAR DIR"), out.toString());
  }

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
  }

  private Path writeTar(String fileName, String entryName, String content) throws IOException {
    Path tar = tmp.resolve(fileName);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(file)) {
      TarArchiveEntry e = new TarArchiveEntry(entryName, TarConstants.LF_NORMAL, true);
      e.setSize(data.length);
      e.setMode(0644);
      tarOut.putArchiveEntry(e);
      tarOut.write(data);
      tarOut.closeArchiveEntry();
    }
    return tar;
  }
}
