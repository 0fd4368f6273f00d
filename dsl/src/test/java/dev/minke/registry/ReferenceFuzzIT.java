package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Fuzzes the four reference parsers (TESTING.md, Fuzzing).
 *
 * <p>Declared failure: {@link InvalidReferenceException}. Anything else escaping is a finding, and
 * so is a reference that does not read back as itself from its own {@code toString()}.
 */
class ReferenceFuzzIT {

  @DictionaryFile(resourcePath = "reference.dict")
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Reference docker = parseOrNull(Reference::parse, text);
    if (docker != null) {
      assertEquals(docker, Reference.parse(docker.toString()));
      docker.familiar();
      docker.tagNameOnly();
    }
    Reference normalized = parseOrNull(Reference::parseNormalizedNamed, text);
    if (normalized != null) {
      assertEquals(normalized, Reference.parseNormalizedNamed(normalized.toString()));
      normalized.familiar();
    }
    Reference written = parseOrNull(Reference::parseAsWritten, text);
    if (written != null) {
      assertEquals(written, Reference.parseAsWritten(written.toString()));
    }
    AnyReference any = parseOrNull(Reference::parseAnyReference, text);
    if (any != null) {
      any.familiar();
    }
  }

  private static <T> T parseOrNull(Function<String, T> parser, String text) {
    try {
      return parser.apply(text);
    } catch (InvalidReferenceException declared) {
      return null;
    }
  }
}
