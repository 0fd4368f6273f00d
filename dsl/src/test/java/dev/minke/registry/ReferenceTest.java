package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minke.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests {@link Reference}: readable cases first, then every line of the conformance file {@code
 * reference/vectors.jsonl} (four parse functions per input, each ok or error, and every field).
 *
 * <p>The program that wrote the vectors did not link {@code crypto/sha256} or {@code
 * crypto/sha512}, so go-digest reported every digest as "unsupported digest algorithm" and {@code
 * ParseAnyReference("sha256:<hex>")} fell back to a name with a tag. Docker's own binaries link
 * both. For those 16 inputs {@code vectors-with-digests.jsonl} (next to this class) holds what
 * distribution returns with the hashes linked, and replaces the affected columns.
 */
class ReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COLUMNS =
      List.of("parse", "parse_any_reference", "parse_docker_ref", "parse_normalized_named");

  private static final String SHA =
      "sha256:" + "e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";

  @Test
  void parse_officialImage_addsLibraryPrefix() {
    Reference ref = Reference.parse("busybox");
    assertEquals("docker.io", ref.registry());
    assertEquals("library/busybox", ref.repository());
    assertEquals("latest", ref.tag());
    assertNull(ref.digest());
    assertEquals("docker.io/library/busybox:latest", ref.toString());
    assertEquals("busybox:latest", ref.familiar());
    assertEquals("registry-1.docker.io", ref.registryHost());
  }

  @Test
  void parse_userImage_keepsNamespaceWithoutLibrary() {
    Reference ref = Reference.parse("me/app:1.0");
    assertEquals("docker.io/me/app:1.0", ref.toString());
    assertEquals("me/app:1.0", ref.familiar());
  }

  @Test
  void parse_localhostWithPort_isRegistry() {
    Reference ref = Reference.parse("localhost:5000/me/app:1.0");
    assertEquals("localhost:5000", ref.registry());
    assertEquals("me/app", ref.repository());
    assertEquals("localhost:5000", ref.registryHost());
    assertEquals("localhost:5000/me/app:1.0", ref.familiar());
  }

  @ParameterizedTest(name = "{0} -> registry {1}")
  @CsvSource({
    "localhost/app, localhost",
    "example.com/app, example.com",
    "host:5000/app, host:5000",
    "Foo/app, Foo",
    "[::1]:5000/app, [::1]:5000",
    "192.168.1.1/app, 192.168.1.1",
    "foo/app, docker.io",
    "index.docker.io/foo/app, docker.io",
  })
  void parse_firstComponent_isRegistryOnlyWhenItLooksLikeAHost(String input, String registry) {
    assertEquals(registry, Reference.parse(input).registry());
  }

  @Test
  void parse_legacyIndexHost_becomesDockerIoWithLibrary() {
    assertEquals(
        "docker.io/library/ubuntu:latest", Reference.parse("index.docker.io/ubuntu").toString());
  }

  @Test
  void parse_uppercaseRepository_rejectedNamingRepository() {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> Reference.parse("Alpine"));
    assertEquals("repository", e.part());
    assertEquals("Alpine", e.input());
    assertEquals(
        "invalid reference \"Alpine\": repository must be lowercase"
            + " ([a-z0-9] separated by ., _, __ or -)",
        e.problem());
    assertTrue(e.hint().contains("localhost:5000/me/app:1.0"), e.hint());
  }

  @Test
  void parse_tagAndDigest_keepsOnlyDigest() {
    Reference ref = Reference.parse("gcr.io/app:1.0@" + SHA);
    assertNull(ref.tag());
    assertEquals(SHA, ref.digest().toString());
    assertEquals("gcr.io/app@" + SHA, ref.toString());
  }

  @Test
  void parse_digestOnly_addsNoDefaultTag() {
    Reference ref = Reference.parse("busybox@" + SHA);
    assertNull(ref.tag());
    assertEquals(Digest.parse(SHA), ref.digest());
    assertEquals("busybox@" + SHA, ref.familiar());
  }

  @Test
  void parse_sixtyFourHex_rejectedAsImageId() {
    InvalidReferenceException e =
        assertThrows(
            InvalidReferenceException.class,
            () -> Reference.parse(SHA.substring("sha256:".length())));
    assertEquals("repository", e.part());
    assertTrue(e.getMessage().contains("image ID"), e.getMessage());
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    "'alpine:', tag",
    "'alpine:-x', tag",
    "'alpine:a~b', tag",
    "'alpine@md5:abc', digest",
    "'alpine@sha256:abcd', digest",
    "'alpine@foo:ffffffffffffffffffffffffffffffffffffffff', digest",
    "'alpine@sha256:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', digest",
    "'foo_bar.com:8080/app', registry",
    "'foo.com:http/app', registry",
    "'a//b', repository",
    "'app-', repository",
    "'foo___bar', repository",
    "'[::1]:5000', repository",
    "':tag', repository",
    "'', name",
  })
  void parse_invalidPart_namesThatPart(String input, String part) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> Reference.parse(input));
    assertEquals(part, e.part(), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid reference \"" + input + "\": "), e.getMessage());
  }

  @Test
  void parse_registryWithoutRepository_saysARepositoryMustFollow() {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> Reference.parse("[::1]:5000"));
    assertTrue(e.getMessage().contains("a repository must follow it"), e.getMessage());
  }

  @Test
  void parse_trailingNewline_rejected() {
    // A regex "$" would accept this in Java; the grammar must not.
    assertThrows(InvalidReferenceException.class, () -> Reference.parse("busybox\n"));
  }

  @Test
  void parse_nameOver255Characters_rejectedNamingName() {
    InvalidReferenceException e =
        assertThrows(
            InvalidReferenceException.class, () -> Reference.parse("me/" + "a".repeat(250)));
    assertEquals("name", e.part());
  }

  @Test
  void parse_hugeAdversarialInput_failsQuicklyWithoutStackOverflow() {
    for (String input :
        List.of(
            "a-".repeat(100_000) + "/", "a.".repeat(100_000) + "-/x", "a".repeat(200_000) + "!")) {
      InvalidReferenceException e =
          assertThrows(InvalidReferenceException.class, () -> Reference.parse(input));
      assertTrue(e.getMessage().length() < 1_000, "message stays short");
    }
  }

  @Test
  void parse_sameImageWrittenTwoWays_equal() {
    assertEquals(Reference.parse("busybox"), Reference.parse("docker.io/library/busybox:latest"));
  }

  @Test
  void parseNormalizedNamed_nameOnly_addsNoTag() {
    Reference ref = Reference.parseNormalizedNamed("busybox");
    assertNull(ref.tag());
    assertEquals("docker.io/library/busybox:latest", ref.tagNameOnly().toString());
  }

  @Test
  void parseAnyReference_imageId_isSha256DigestReference() {
    AnyReference any = Reference.parseAnyReference(SHA.substring("sha256:".length()));
    DigestReference id = assertInstanceOf(DigestReference.class, any);
    assertEquals(SHA, id.digest().toString());
    assertEquals(SHA, id.familiar());
  }

  @Test
  void parseAnyReference_digest_isDigestReference() {
    assertInstanceOf(DigestReference.class, Reference.parseAnyReference(SHA));
  }

  @Test
  void parseAnyReference_name_isNormalizedReference() {
    AnyReference any = Reference.parseAnyReference("busybox:1.36");
    assertEquals("docker.io/library/busybox:1.36", any.toString());
  }

  @Test
  void parseAsWritten_firstComponent_isDomainWithoutNormalizing() {
    Reference ref = Reference.parseAsWritten("library/ubuntu");
    assertEquals("library", ref.registry());
    assertEquals("ubuntu", ref.repository());
    assertNull(ref.tag());
  }

  @Test
  void familiar_nestedLibraryPath_keepsLibraryPrefix() {
    assertEquals("library/a/b:latest", Reference.parse("library/a/b").familiar());
  }

  @Test
  void withTag_existingDigest_keepsDigest() {
    Reference ref = Reference.parseNormalizedNamed("busybox@" + SHA).withTag("1.36");
    assertEquals("docker.io/library/busybox:1.36@" + SHA, ref.toString());
  }

  @Test
  void withTag_invalidTag_rejectedNamingTag() {
    InvalidReferenceException e =
        assertThrows(
            InvalidReferenceException.class, () -> Reference.parse("busybox").withTag(".hidden"));
    assertEquals("tag", e.part());
  }

  @Test
  void withDigest_taggedReference_keepsTag() {
    Reference ref = Reference.parse("busybox:1.36").withDigest(Digest.parse(SHA));
    assertEquals("busybox:1.36@" + SHA, ref.familiar());
  }

  @Test
  void constructor_invalidRepository_rejected() {
    InvalidReferenceException e =
        assertThrows(
            InvalidReferenceException.class,
            () -> new Reference("docker.io", "Library/Busybox", null, null));
    assertEquals("repository", e.part());
  }

  @Test
  void registryHost_otherRegistry_isTheDomain() {
    assertEquals("ghcr.io", Reference.parse("ghcr.io/me/app").registryHost());
  }

  static Stream<Arguments> vectors() throws IOException {
    Map<String, JsonNode> withDigests = readWithDigests();
    List<Arguments> cases = new ArrayList<>();
    List<String> lines = Files.readAllLines(conformanceDir().resolve("reference/vectors.jsonl"));
    for (int i = 0; i < lines.size(); i++) {
      JsonNode row = JSON.readTree(lines.get(i));
      String input = row.get("input").asText();
      JsonNode fix = withDigests.get(input);
      String shown = input.length() > 70 ? input.substring(0, 70) + "…" : input;
      cases.add(Arguments.of(i + 1, shown, row, fix));
    }
    assertEquals(228, cases.size(), "vectors.jsonl lines");
    return cases.stream();
  }

  @ParameterizedTest(name = "line {0}: \"{1}\"")
  @MethodSource("vectors")
  void vector_allFourColumns_matchDistribution(
      int line, String shown, JsonNode row, JsonNode withDigest) {
    String input = row.get("input").asText();
    Map<String, Function<String, AnyReference>> parsers = new HashMap<>();
    parsers.put("parse", Reference::parseAsWritten);
    parsers.put("parse_any_reference", Reference::parseAnyReference);
    parsers.put("parse_docker_ref", Reference::parse);
    parsers.put("parse_normalized_named", Reference::parseNormalizedNamed);
    for (String column : COLUMNS) {
      JsonNode expected =
          withDigest != null && withDigest.has(column) ? withDigest.get(column) : row.get(column);
      check(column + " of line " + line, input, expected, parsers.get(column));
    }
  }

  private static void check(
      String where, String input, JsonNode expected, Function<String, AnyReference> parser) {
    if (!expected.get("ok").asBoolean()) {
      InvalidReferenceException e =
          assertThrows(InvalidReferenceException.class, () -> parser.apply(input), where);
      assertEquals(input, e.input(), where + ": input");
      String part = expectedPart(expected.get("error").asText());
      if (part != null) {
        assertEquals(part, e.part(), where + ": part, for " + e.getMessage());
      }
      return;
    }
    AnyReference actual = parser.apply(input);
    assertEquals(text(expected, "string"), actual.toString(), where + ": string");
    assertEquals(text(expected, "familiar_string"), actual.familiar(), where + ": familiar_string");
    if (!expected.has("domain")) {
      DigestReference digestOnly = assertInstanceOf(DigestReference.class, actual, where);
      assertEquals(text(expected, "digest"), digestOnly.digest().toString(), where + ": digest");
      return;
    }
    Reference ref = assertInstanceOf(Reference.class, actual, where);
    assertEquals(text(expected, "domain"), ref.registry(), where + ": domain");
    assertEquals(text(expected, "path"), ref.repository(), where + ": path");
    assertEquals(text(expected, "name"), ref.name(), where + ": name");
    assertEquals(text(expected, "familiar_name"), ref.familiarName(), where + ": familiar_name");
    assertEquals(text(expected, "tag"), ref.tag(), where + ": tag");
    assertEquals(
        text(expected, "tag_name_only"), ref.tagNameOnly().toString(), where + ": tag_name_only");
    if (expected.has("digest")) {
      assertEquals(text(expected, "digest"), ref.digest().toString(), where + ": digest");
    } else {
      assertNull(ref.digest(), where + ": digest");
    }
  }

  /** The part our exception must name for one of distribution's messages; null when any part. */
  private static String expectedPart(String goError) {
    if (goError.contains("must be lowercase") || goError.contains("64-byte hexadecimal")) {
      return "repository";
    }
    if (goError.contains("at least one component") || goError.contains("255 characters")) {
      return "name";
    }
    if (goError.contains("digest")) {
      return "digest";
    }
    return null; // "invalid reference format": Minke names the part it diagnosed.
  }

  private static String text(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asText() : null;
  }

  private static Map<String, JsonNode> readWithDigests() throws IOException {
    Map<String, JsonNode> byInput = new HashMap<>();
    try (InputStream in = ReferenceTest.class.getResourceAsStream("vectors-with-digests.jsonl")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          JsonNode row = JSON.readTree(line);
          byInput.put(row.get("input").asText(), row);
        }
      }
    }
    return byInput;
  }

  static Path conformanceDir() {
    String configured = System.getProperty("minke.conformance");
    return Path.of(configured != null ? configured : "../../shared/conformance");
  }
}
