package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument handling of save, load and export; the store itself is exercised by ArchiveIT. */
class ArchiveCommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int minke(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void help_listsSaveLoadExport() {
    assertEquals(0, minke("help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("save [-o FILE] IMAGE..."), help);
    assertTrue(help.contains("load [-i FILE] [--name REPO]"), help);
    assertTrue(help.contains("export --oci DIR IMAGE..."), help);
  }

  @Test
  void save_noImage_usageError() {
    assertEquals(2, minke("save", "-o", "x.tar"));
    assertTrue(err().contains("name at least one image"), err());
    assertTrue(err().contains("usage: minke save [-o FILE] IMAGE..."), err());
  }

  @Test
  void save_outputWithoutValue_usageError() {
    assertEquals(2, minke("save", "busybox", "--output"));
    assertTrue(err().contains("--output needs a value"), err());
  }

  @Test
  void load_positionalArgument_usageError() {
    assertEquals(2, minke("load", "busybox.tar"));
    assertTrue(err().contains("usage: minke load"), err());
  }

  @Test
  void export_withoutOci_usageError() {
    assertEquals(2, minke("export", "busybox"));
    assertTrue(err().contains("missing --oci DIR"), err());
  }

  @Test
  void export_withoutImage_usageError() {
    assertEquals(2, minke("export", "--oci", "dir"));
    assertTrue(err().contains("name at least one image"), err());
  }
}
