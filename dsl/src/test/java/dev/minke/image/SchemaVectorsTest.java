package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.OciValidator.Kind;
import dev.minke.image.OciValidator.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code image-spec/index.tsv}: the image-spec's own schema test vectors and the
 * spec's examples get the verdict the spec expects from {@link OciValidator}.
 */
class SchemaVectorsTest {

  /**
   * Vectors the validator cannot judge as the spec does, with the reason. Empty: all are matched,
   * four of them only through the extra rules (descriptor 016 digest case, 018 relative url, 029
   * unpadded data; config 010 Env without '=').
   */
  static final Map<String, String> EXCLUDED = Map.of();

  /** One row of index.tsv. */
  record Vector(String path, String kind, String schema, String expected, String note) {
    @Override
    public String toString() {
      return path;
    }

    Kind validatorKind() {
      return Kind.forSchema(schema);
    }
  }

  static Path imageSpecDir() {
    return OciValidator.conformanceDir().resolve("image-spec");
  }

  static List<Vector> vectors() throws IOException {
    List<String> lines = Files.readAllLines(imageSpecDir().resolve("index.tsv"));
    List<Vector> vectors = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      vectors.add(new Vector(f[0], f[1], f[2], f[3], f.length > 5 ? f[5] : ""));
    }
    return vectors;
  }

  static byte[] read(Vector vector) throws IOException {
    return Files.readAllBytes(imageSpecDir().resolve(vector.path()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void validate_vector_matchesExpectedVerdict(Vector vector) throws IOException {
    if (EXCLUDED.containsKey(vector.path())) {
      return;
    }
    List<Violation> violations = OciValidator.get().validate(vector.validatorKind(), read(vector));
    String verdict = violations.isEmpty() ? "pass" : "fail";
    assertEquals(
        vector.expected(),
        verdict,
        () -> vector.path() + " (" + vector.note() + "): " + violations);
  }

  @Test
  void index_everyRow_hasAKnownKindSchemaAndVerdict() throws IOException {
    List<Vector> vectors = vectors();
    assertEquals(79, vectors.size(), "rows in index.tsv");
    for (Vector vector : vectors) {
      Kind kind = vector.validatorKind();
      if (!vector.kind().equals("example")) {
        assertEquals(Kind.parse(vector.kind()), kind, vector.path());
      }
      assertTrue(vector.expected().matches("pass|fail"), vector.path());
      assertTrue(Files.isRegularFile(imageSpecDir().resolve(vector.path())), vector.path());
    }
  }

  @Test
  void validate_failVectors_failForTheNotedReason() throws IOException {
    // The vectors that only the extra rules catch must be caught by exactly that rule, so that a
    // schema change cannot make them pass for an unrelated reason.
    Map<String, String> ruleOf =
        Map.of(
            "vectors/descriptor/016-descriptor-fail.json", "digest",
            "vectors/descriptor/018-descriptor-fail.json", "urls",
            "vectors/descriptor/029-descriptor-fail.json", "data",
            "vectors/config/010-config-fail.json", "env");
    for (Vector vector : vectors()) {
      String rule = ruleOf.get(vector.path());
      if (rule != null) {
        List<Violation> violations =
            OciValidator.get().validate(vector.validatorKind(), read(vector));
        String rules = violations.stream().map(Violation::rule).collect(Collectors.joining(","));
        assertTrue(rules.contains(rule), vector.path() + " " + violations);
      }
    }
  }

  @Test
  void validate_invalidJson_isOneJsonViolation() {
    byte[] unquotedVersion = "{\"imageLayoutVersion\": 1.0.0}".getBytes(StandardCharsets.UTF_8);

    List<Violation> violations = OciValidator.get().validate(Kind.LAYOUT, unquotedVersion);

    assertEquals(1, violations.size(), violations::toString);
    assertEquals("json", violations.get(0).rule());
  }
}
