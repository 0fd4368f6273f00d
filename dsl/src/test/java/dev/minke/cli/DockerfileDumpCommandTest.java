package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minke dockerfile dump}: BuildKit's AST dump, and BuildKit's errors. */
class DockerfileDumpCommandTest {
  @TempDir Path work;

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void dump_printsBuildkitDump() throws IOException {
    Path file = work.resolve("Dockerfile");
    Files.writeString(file, "FROM golang AS build\nCOPY --from=build --chown=1:1 [\"a b\", \"/c\"]\n"
        + "ENV A=1 B=\"x\\ty\"\nHEALTHCHECK --interval=5s CMD curl -f localhost\n");
    Result r = run("dockerfile", "dump", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("(from \"golang\" \"AS\" \"build\")\n"
        + "(copy [\"--from=build\" \"--chown=1:1\"] \"a b\" \"/c\")\n"
        + "(env \"A\" \"1\" \"=\" \"B\" \"\\\"x\\\\ty\\\"\" \"=\")\n"
        + "(healthcheck [\"--interval=5s\"] \"CMD\" \"curl -f localhost\")\n", r.out());
  }

  @Test
  void dump_syntaxError_reportsLine() throws IOException {
    Path file = work.resolve("Dockerfile");
    Files.writeString(file, "FROM busybox\n\nENV PATH\n");
    Result r = run("dockerfile", "dump", file.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("minke: dockerfile parse error on line 3: ENV must have two arguments"),
        r.err());
  }

  @Test
  void dump_missingFile_isUsageError() {
    Result r = run("dockerfile", "dump", work.resolve("nope").toString());
    assertEquals(2, r.exitCode());
  }
}
