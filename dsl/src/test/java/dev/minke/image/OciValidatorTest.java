package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.OciValidator.Kind;
import dev.minke.image.OciValidator.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The four rules {@link OciValidator} adds to the schemas, one good and bad list each. */
class OciValidatorTest {
  static final String HEX64 = "5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:" + HEX64,
        "sha512:" + HEX64 + HEX64,
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"
      })
  void validate_goodDigest_passes(String digest) {
    assertEquals(List.of(), violations(descriptor("\"digest\":\"" + digest + "\"")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:5B0BCABD1ED22E9FB1310CF6C2DEC7CDEF19F0AD69EFA1F392E94A4333501270",
        "sha256:5b0bcabd",
        "sha256:" + HEX64 + "00",
        "sha512:" + HEX64,
        "sha256:gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"
      })
  void validate_badSha256OrSha512Hex_violatesDigestRule(String digest) {
    assertEquals(List.of("digest"), rules(descriptor("\"digest\":\"" + digest + "\"")));
  }

  @Test
  void validate_badDigestInManifestLayer_namesTheLayer() {
    String layer = "{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:" + HEX64.toUpperCase()
        + "\"}";
    String good = "{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:" + HEX64 + "\"}";
    String manifest =
        "{\"schemaVersion\":2,\"config\":" + good + ",\"layers\":[" + good + "," + layer + "]}";

    List<Violation> violations = OciValidator.get().validate(Kind.MANIFEST, bytes(manifest));

    assertEquals(1, violations.size(), violations::toString);
    assertEquals("$.layers[1].digest", violations.get(0).location());
  }

  @Test
  void validate_badDiffIdInConfig_violatesDigestRule() {
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"sha256:" + HEX64.substring(1) + "\"]}}";

    List<Violation> violations = OciValidator.get().validate(Kind.CONFIG, bytes(config));

    assertEquals(List.of("$.rootfs.diff_ids[0]"), violations.stream().map(Violation::location)
        .toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/foo", "http://[::1]:5000/v2/x", "s3://bucket/key"})
  void validate_absoluteUrl_passes(String url) {
    assertEquals(List.of(), violations(descriptor("\"urls\":[\"" + url + "\"]")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"value", "/relative/path", "http://[::1", "https://exa mple.com/"})
  void validate_badUrl_violatesUrlsRule(String url) {
    assertTrue(rules(descriptor("\"urls\":[\"" + url + "\"]")).contains("urls"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "e30=", "YQ==", "YWJj", "aHR0cHM6Ly9naXRodWIuY29tL29wZW5jb250YWluZXJzCg=="})
  void validate_paddedBase64Data_passes(String data) {
    assertEquals(List.of(), violations(descriptor("\"data\":\"" + data + "\"")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"e30", "YQ", "YQ=", "YQ===", "e3 0=", "e3-_", "e30=e30="})
  void validate_unpaddedOrBadBase64Data_violatesDataRule(String data) {
    assertEquals(List.of("data"), rules(descriptor("\"data\":\"" + data + "\"")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"A=1", "A=", "PATH=/bin:/usr/bin", "A==b"})
  void validate_keyValueEnv_passes(String env) {
    assertEquals(List.of(), violations(config(env)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "=bar", ""})
  void validate_envWithoutKey_violatesEnvRule(String env) {
    assertEquals(List.of("env"), rules(config(env)));
  }

  @Test
  void assertValid_invalidDocument_failsListingTheViolation() {
    byte[] json = config("x").json();

    AssertionError e =
        assertThrows(AssertionError.class, () -> OciValidator.assertValid(Kind.CONFIG, json));

    assertTrue(e.getMessage().contains("$.config.Env[0]"), e.getMessage());
  }

  @Test
  void kind_forSchemaAndParse_agree() {
    for (Kind kind : Kind.values()) {
      assertEquals(kind, Kind.forSchema(kind.schemaFile()));
      assertEquals(kind, Kind.parse(kind.name().toLowerCase(Locale.ROOT)));
    }
  }

  private static Document descriptor(String extraField) {
    String json = "{\"mediaType\":\"text/plain\",\"size\":2,\"digest\":\"sha256:" + HEX64
        + "\"," + extraField + "}";
    return new Document(Kind.DESCRIPTOR, bytes(json));
  }

  private static Document config(String env) {
    String json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"" + env
        + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    return new Document(Kind.CONFIG, bytes(json));
  }

  private static List<Violation> violations(Document document) {
    return OciValidator.get().validate(document.kind(), document.json());
  }

  private static List<String> rules(Document document) {
    return violations(document).stream().map(Violation::rule).distinct().toList();
  }

  private record Document(Kind kind, byte[] json) {}

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
