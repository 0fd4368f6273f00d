package dev.minke.image;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a JSON document against the OCI image-spec schema of its kind, plus the four spec rules
 * the schemas leave out: lowercase hex of the right length in {@code sha256}/{@code sha512}
 * digests, absolute {@code urls}, padded base64 in {@code data} and {@code KEY=VALUE} entries in a
 * config's {@code Env}.
 *
 * <p>Use it on every manifest, index, config and layout file a test makes Minke write (STYLE.md
 * practice 13): {@code OciValidator.assertValid(Kind.MANIFEST, bytes)}. The schemas are read from
 * {@code image-spec/schema/} under the conformance directory (system property {@code
 * minke.conformance}, set by the pom).
 */
public final class OciValidator {

  /** The document kinds the image-spec has a schema for. */
  public enum Kind {
    MANIFEST("image-manifest-schema.json"),
    INDEX("image-index-schema.json"),
    CONFIG("config-schema.json"),
    LAYOUT("image-layout-schema.json"),
    DESCRIPTOR("content-descriptor.json");

    private final String schemaFile;

    Kind(String schemaFile) {
      this.schemaFile = schemaFile;
    }

    /** The schema's file name in {@code image-spec/schema/}. */
    public String schemaFile() {
      return schemaFile;
    }

    /** The kind of a name as {@code index.tsv} writes it: {@code manifest}, {@code index}, … */
    public static Kind parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The kind whose schema is the given file, e.g. {@code config-schema.json}. */
    public static Kind forSchema(String schemaFile) {
      for (Kind kind : values()) {
        if (kind.schemaFile.equals(schemaFile)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no OCI kind has schema \"" + schemaFile + "\"");
    }
  }

  /**
   * One broken rule: where in the document (a JSON path such as {@code $.layers[0].digest}) and
   * what is wrong. {@code rule} is {@code "schema"} for a schema violation, {@code "json"} for
   * unparseable input, or the name of one of the extra rules.
   */
  public record Violation(String rule, String location, String message) {
    @Override
    public String toString() {
      return location + ": " + message + " [" + rule + "]";
    }
  }

  // The schemas' ids and $refs resolve under this prefix, in folders that differ from file to
  // file (image/, descriptor/, none); every name maps to the one local file of that name.
  private static final String SCHEMA_ID_PREFIX = "https://opencontainers.org/schema/";
  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");
  private static final Pattern BASE64_PADDED =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  private static OciValidator shared;

  private final ObjectMapper mapper =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final Map<Kind, JsonSchema> schemas = new EnumMap<>(Kind.class);

  private OciValidator(Path schemaDir) {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            builder -> builder.schemaLoaders(loaders -> loaders.add(iri -> load(schemaDir, iri))));
    for (Kind kind : Kind.values()) {
      JsonSchema schema = factory.getSchema(SchemaLocation.of(SCHEMA_ID_PREFIX + kind.schemaFile));
      // Resolve every $ref now, so that a missing schema file fails here and not mid-test.
      schema.initializeValidators();
      schemas.put(kind, schema);
    }
  }

  /** The validator over the conformance directory's schemas, built once per JVM. */
  public static synchronized OciValidator get() {
    if (shared == null) {
      shared = new OciValidator(conformanceDir().resolve("image-spec/schema"));
    }
    return shared;
  }

  /** Fails the calling test, listing every violation, unless the document is valid. */
  public static void assertValid(Kind kind, byte[] json) {
    List<Violation> violations = get().validate(kind, json);
    if (!violations.isEmpty()) {
      StringBuilder message = new StringBuilder();
      message.append("invalid OCI ").append(kind.name().toLowerCase(Locale.ROOT)).append(':');
      violations.forEach(v -> message.append("\n  ").append(v));
      message.append("\ndocument: ").append(new String(json, StandardCharsets.UTF_8));
      fail(message.toString());
    }
  }

  /** Every rule the document breaks, sorted by location; empty when it is valid. */
  public List<Violation> validate(Kind kind, byte[] json) {
    JsonNode document;
    try {
      document = mapper.readTree(json);
    } catch (IOException e) {
      String detail =
          e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
      return List.of(new Violation("json", "$", "not valid JSON: " + detail));
    }
    if (document == null || document.isMissingNode()) {
      return List.of(new Violation("json", "$", "empty document"));
    }
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage message : schemas.get(kind).validate(document)) {
      String location = message.getInstanceLocation().toString();
      String text = message.getMessage();
      // networknt starts its message with the location; the Violation already holds it.
      if (text.startsWith(location + ": ")) {
        text = text.substring(location.length() + 2);
      }
      violations.add(new Violation("schema", location, text));
    }
    checkExtraRules(kind, document, violations);
    violations.sort(Comparator.comparing(Violation::location));
    return List.copyOf(violations);
  }

  private static void checkExtraRules(Kind kind, JsonNode document, List<Violation> out) {
    switch (kind) {
      case DESCRIPTOR -> checkDescriptor(document, "$", out);
      case MANIFEST -> {
        checkDescriptor(document.path("config"), "$.config", out);
        checkDescriptors(document.path("layers"), "$.layers", out);
        checkDescriptor(document.path("subject"), "$.subject", out);
      }
      case INDEX -> {
        checkDescriptors(document.path("manifests"), "$.manifests", out);
        checkDescriptor(document.path("subject"), "$.subject", out);
      }
      case CONFIG -> {
        JsonNode diffIds = document.path("rootfs").path("diff_ids");
        for (int i = 0; i < diffIds.size(); i++) {
          checkDigest(diffIds.get(i), "$.rootfs.diff_ids[" + i + "]", out);
        }
        JsonNode env = document.path("config").path("Env");
        for (int i = 0; i < env.size(); i++) {
          checkEnv(env.get(i), "$.config.Env[" + i + "]", out);
        }
      }
      case LAYOUT -> {}
    }
  }

  private static void checkDescriptors(JsonNode array, String path, List<Violation> out) {
    for (int i = 0; i < array.size(); i++) {
      checkDescriptor(array.get(i), path + "[" + i + "]", out);
    }
  }

  /** The extra rules for one descriptor; shapes the schema rejects are left to the schema. */
  private static void checkDescriptor(JsonNode descriptor, String path, List<Violation> out) {
    if (!descriptor.isObject()) {
      return;
    }
    checkDigest(descriptor.path("digest"), path + ".digest", out);
    JsonNode urls = descriptor.path("urls");
    for (int i = 0; i < urls.size(); i++) {
      checkUrl(urls.get(i), path + ".urls[" + i + "]", out);
    }
    checkBase64(descriptor.path("data"), path + ".data", out);
  }

  // descriptor.md "Registered algorithms": sha256 and sha512 encode as lowercase hex of a fixed
  // length; the schema's pattern allows any case and length for every algorithm.
  private static void checkDigest(JsonNode node, String path, List<Violation> out) {
    if (!node.isTextual()) {
      return;
    }
    String digest = node.textValue();
    int colon = digest.indexOf(':');
    String algorithm = colon < 0 ? digest : digest.substring(0, colon);
    String encoded = colon < 0 ? "" : digest.substring(colon + 1);
    Pattern hex =
        switch (algorithm) {
          case "sha256" -> SHA256_HEX;
          case "sha512" -> SHA512_HEX;
          default -> null;
        };
    if (hex != null && !hex.matcher(encoded).matches()) {
      out.add(
          new Violation("digest", path, "\"" + digest + "\": " + algorithm
              + " must be " + (algorithm.equals("sha256") ? 64 : 128) + " lowercase hex digits"));
    }
  }

  // descriptor.md: each url MUST conform to RFC 3986; like the Go validator's "uri" format, a
  // relative reference is not accepted, since nothing could be fetched from it.
  private static void checkUrl(JsonNode node, String path, List<Violation> out) {
    if (!node.isTextual()) {
      return;
    }
    String url = node.textValue();
    try {
      URI uri = new URI(url);
      if (!uri.isAbsolute()) {
        out.add(new Violation("urls", path, "\"" + url + "\" is not an absolute URI"));
      }
    } catch (URISyntaxException e) {
      out.add(new Violation("urls", path, "\"" + url + "\" is not a URI: " + e.getReason()));
    }
  }

  // descriptor.md: data is base64 per RFC 4648 section 4, which pads; Java's decoder alone would
  // accept a missing '=' at the end.
  private static void checkBase64(JsonNode node, String path, List<Violation> out) {
    if (!node.isTextual()) {
      return;
    }
    String data = node.textValue();
    boolean valid = BASE64_PADDED.matcher(data).matches();
    if (valid) {
      try {
        Base64.getDecoder().decode(data);
      } catch (IllegalArgumentException e) {
        valid = false;
      }
    }
    if (!valid) {
      out.add(new Violation("data", path, "not padded standard base64 (RFC 4648 section 4)"));
    }
  }

  // config.md: Env entries are VARNAME=VARVALUE; the schema only asks for strings.
  private static void checkEnv(JsonNode node, String path, List<Violation> out) {
    if (node.isTextual() && node.textValue().indexOf('=') <= 0) {
      out.add(
          new Violation("env", path, "\"" + node.textValue() + "\" is not KEY=VALUE with a KEY"));
    }
  }

  private static InputStreamSource load(Path schemaDir, AbsoluteIri iri) {
    String text = iri.toString();
    if (!text.startsWith(SCHEMA_ID_PREFIX) || !text.endsWith(".json")) {
      return null;
    }
    Path file = schemaDir.resolve(text.substring(text.lastIndexOf('/') + 1));
    return Files.isRegularFile(file) ? () -> Files.newInputStream(file) : null;
  }

  /** The conformance directory: the {@code minke.conformance} property or a parent's shared/. */
  static Path conformanceDir() {
    String property = System.getProperty("minke.conformance");
    if (property != null) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/conformance");
      if (Files.isDirectory(candidate.resolve("image-spec"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no conformance data: set -Dminke.conformance=<path to shared/conformance>");
  }
}
