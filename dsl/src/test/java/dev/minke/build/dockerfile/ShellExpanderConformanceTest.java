package dev.minke.build.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BuildKit's shell lexer vectors: {@code envVarTest} (expansion of one word) and {@code
 * wordsTest} (expansion and splitting). Windows-only lines ({@code W|…}) are skipped.
 */
class ShellExpanderConformanceTest {
  /** The environment BuildKit's lex_test.go gives envVarTest. */
  private static final Map<String, String> ENV_VAR_TEST_ENV =
      Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");

  static List<Arguments> envVarVectors() throws IOException {
    List<String> lines = Files.readAllLines(
        Conformance.dir("dockerfile/buildkit-shell").resolve("envVarTest"), StandardCharsets.UTF_8);
    List<Arguments> vectors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      line = line.replaceFirst("^[ \\t]+", "");
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\|", -1);
      assertEquals(3, parts.length, "line " + (i + 1));
      String platform = parts[0].trim();
      if (platform.equals("W")) {
        continue;
      }
      vectors.add(Arguments.of(i + 1, GoText.trimSpace(parts[1]), GoText.trimSpace(parts[2])));
    }
    return vectors;
  }

  static List<Arguments> wordsVectors() throws IOException {
    List<String> lines = Files.readAllLines(
        Conformance.dir("dockerfile/buildkit-shell").resolve("wordsTest"), StandardCharsets.UTF_8);
    List<Arguments> vectors = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("ENV ")) {
        String entry = line.substring(3).replaceFirst("^ +", "");
        int eq = entry.indexOf('=');
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
        continue;
      }
      String[] parts = line.split("\\|", -1);
      assertEquals(2, parts.length, "line " + (i + 1));
      List<String> expected = Arrays.asList(parts[1].replaceFirst("^ +", "").split(",", -1));
      vectors.add(Arguments.of(i + 1, GoText.trimSpace(parts[0]), expected, Map.copyOf(env)));
    }
    return vectors;
  }

  @ParameterizedTest(name = "envVarTest line {0}: {1}")
  @MethodSource("envVarVectors")
  void expand_envVarTest(int line, String input, String expected) {
    ShellExpander expander = ShellExpander.standard();
    if (expected.equals("error")) {
      assertThrows(ShellExpansionException.class,
          () -> expander.expand(input, ENV_VAR_TEST_ENV), "line " + line);
    } else {
      assertEquals(expected, expander.expand(input, ENV_VAR_TEST_ENV), "line " + line);
    }
  }

  @ParameterizedTest(name = "wordsTest line {0}: {1}")
  @MethodSource("wordsVectors")
  void words_wordsTest(int line, String input, List<String> expected, Map<String, String> env) {
    List<String> actual;
    try {
      actual = ShellExpander.standard().words(input, env);
    } catch (ShellExpansionException e) {
      actual = List.of("error");
    }
    assertEquals(expected, actual, "line " + line);
  }
}
