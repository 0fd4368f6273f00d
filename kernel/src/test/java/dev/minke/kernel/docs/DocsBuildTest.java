package dev.minke.kernel.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsBuildTest {
  @TempDir Path dir;

  @Test
  void parse_outNotebooksTimeoutAndNames() {
    DocsBuild.Options options = DocsBuild.Options.parse(List.of("--out", "site", "--notebooks", "nb",
        "--timeout", "60", "03-dockerfile-and-cache.ipynb", "05-registry"));
    assertEquals(Path.of("site").toAbsolutePath(), options.outDir());
    assertEquals(Path.of("nb").toAbsolutePath(), options.notebooksDir());
    assertEquals(60, options.cellTimeoutSeconds());
    assertEquals(List.of("03-dockerfile-and-cache", "05-registry"), options.only());
  }

  @Test
  void parse_withoutOut_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DocsBuild.Options.parse(List.of("00-welcome")));
    assertTrue(e.getMessage().contains("--out"), e.getMessage());
  }

  @Test
  void parse_unknownOptionOrMissingValue_rejected() {
    assertThrows(IllegalArgumentException.class, () -> DocsBuild.Options.parse(List.of("--out", "x", "--fast")));
    assertThrows(IllegalArgumentException.class, () -> DocsBuild.Options.parse(List.of("--out")));
  }

  @Test
  void notebooks_allInNameOrder_orTheChosenOnes() throws Exception {
    for (String name : List.of("01-b.ipynb", "00-a.ipynb", "notes.md")) {
      Files.writeString(dir.resolve(name), "{}");
    }
    DocsBuild all = new DocsBuild(DocsBuild.Options.parse(List.of("--out", "o", "--notebooks", dir.toString())), p -> p);
    assertEquals(List.of(dir.resolve("00-a.ipynb"), dir.resolve("01-b.ipynb")), all.notebooks());
    DocsBuild one = new DocsBuild(DocsBuild.Options.parse(
        List.of("--out", "o", "--notebooks", dir.toString(), "01-b")), p -> p);
    assertEquals(List.of(dir.resolve("01-b.ipynb")), one.notebooks());
  }

  @Test
  void notebooks_unknownName_namesTheChoices() throws Exception {
    Files.writeString(dir.resolve("00-a.ipynb"), "{}");
    DocsBuild build = new DocsBuild(DocsBuild.Options.parse(
        List.of("--out", "o", "--notebooks", dir.toString(), "99-nope")), p -> p);
    DocsException e = assertThrows(DocsException.class, build::notebooks);
    assertTrue(e.getMessage().contains("99-nope") && e.getMessage().contains("00-a.ipynb"), e.getMessage());
  }
}
