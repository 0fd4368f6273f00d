package dev.minke.build.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BuildKit's own parser corpus: every {@code testfiles/<case>/Dockerfile} must dump to its
 * {@code result} byte for byte, the negative cases must fail, {@code testfile-line} must have
 * BuildKit's line numbers, and every real-world Dockerfile must dump to its {@code .result}.
 */
class DockerfileParserConformanceTest {
  /** Cases we knowingly do not match, with the reason. None at present. */
  private static final Map<String, String> EXCLUDED = Map.of();

  static Stream<String> parserCases() throws IOException {
    try (Stream<Path> dirs = Files.list(Conformance.dir("dockerfile/buildkit-parser/testfiles"))) {
      return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  static Stream<String> negativeCases() throws IOException {
    try (Stream<Path> dirs =
        Files.list(Conformance.dir("dockerfile/buildkit-parser/testfiles-negative"))) {
      return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  static Stream<String> realWorldCases() throws IOException {
    Path root = Conformance.dir("dockerfile/realworld");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".result"))
          .map(f -> root.relativize(f).toString().replaceFirst("\\.result$", ""))
          .sorted().toList().stream();
    }
  }

  @Test
  void corpus_hasExpectedSize() throws IOException {
    assertEquals(33, parserCases().count());
    assertEquals(4, negativeCases().count());
    assertEquals(252, realWorldCases().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parserCases")
  void dump_parserTestfile_matchesBuildkitResult(String name) throws IOException {
    Path dir = Conformance.dir("dockerfile/buildkit-parser/testfiles").resolve(name);
    assertDumpMatches(name, dir.resolve("Dockerfile"), dir.resolve("result"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("realWorldCases")
  void dump_realWorldDockerfile_matchesBuildkitResult(String path) throws IOException {
    Path root = Conformance.dir("dockerfile/realworld");
    assertDumpMatches(path, root.resolve(path), root.resolve(path + ".result"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negativeCases")
  void parse_negativeCase_fails(String name) {
    Path file = Conformance.dir("dockerfile/buildkit-parser/testfiles-negative")
        .resolve(name).resolve("Dockerfile");
    DockerfileSyntaxException e =
        assertThrows(DockerfileSyntaxException.class, () -> Dockerfile.read(file));
    assertTrue(e.getMessage().startsWith("dockerfile parse error on line "), e.getMessage());
  }

  @Test
  void parse_negativeCases_sayWhy() {
    assertEquals("ENV must have two arguments", failure("FROM busybox\n\nENV PATH\n").reason());
    assertEquals(3, failure("FROM busybox\n\nENV PATH\n").startLine());
    assertEquals("file with no instructions", failure("# Hello\n# comments\n\n").reason());
    assertEquals("file with no instructions", failure("").reason());
    assertEquals("when using JSON array syntax, arrays must be comprised of strings only",
        failure("CMD [ \"echo\", [ \"nested json\" ] ]\n").reason());
  }

  @Test
  void parse_testfileLine_hasBuildkitLineNumbers() {
    Dockerfile dockerfile = Dockerfile.read(
        Conformance.dir("dockerfile/buildkit-parser/testfile-line").resolve("Dockerfile"));
    assertEquals(5, dockerfile.startLine());
    assertEquals(31, dockerfile.endLine());
    List<int[]> expected = List.of(new int[] {5, 5}, new int[] {11, 12}, new int[] {17, 31});
    assertEquals(expected.size(), dockerfile.instructions().size());
    for (int i = 0; i < expected.size(); i++) {
      Instruction instruction = dockerfile.instructions().get(i);
      assertEquals(expected.get(i)[0], instruction.startLine(), instruction.original());
      assertEquals(expected.get(i)[1], instruction.endLine(), instruction.original());
    }
  }

  private static DockerfileSyntaxException failure(String text) {
    return assertThrows(DockerfileSyntaxException.class, () -> Dockerfile.parse(text));
  }

  private static void assertDumpMatches(String name, Path dockerfile, Path result)
      throws IOException {
    if (EXCLUDED.containsKey(name)) {
      return;
    }
    String expected = Files.readString(result, StandardCharsets.UTF_8);
    assertEquals(expected, Dockerfile.read(dockerfile).dump(), name);
  }
}
