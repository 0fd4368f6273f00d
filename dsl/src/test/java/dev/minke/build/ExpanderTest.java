package dev.minke.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DSL's expander is BuildKit's: same results as a Dockerfile instruction. */
class ExpanderTest {
  private static final Map<String, String> VARS = Map.of("V", "1.0", "EMPTY", "", "P", "/a/b.c");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "v$V              | v1.0",
      "v${V}x           | v1.0x",
      "${NOPE:-d}       | d",
      "${EMPTY:-d}      | d",
      "${EMPTY-d}       | ''",
      "${V:+set}        | set",
      "\\$V             | $V",
      "${P%.*}          | /a/b",
      "${P##*/}         | b.c",
      "$1               | ''",
  })
  void expand_likeBuildkit(String text, String expected) {
    assertEquals(expected, new Expander(VARS, "ENV X=" + text).expand(text));
  }

  @Test
  void expand_quotes_removedLikeBuildkit() {
    Expander expander = new Expander(VARS, "ENV X");
    assertEquals("$V", expander.expand("'$V'"));
    assertEquals("1.0 x", expander.expand("\"$V x\""));
    assertEquals("it's", expander.expand("it\\'s"));
  }

  @Test
  void expand_badSyntax_throwsBuildInputException() {
    BuildInputException e = assertThrows(BuildInputException.class,
        () -> new Expander(VARS, "WORKDIR ${V").expand("${V"));
    assertEquals("WORKDIR ${V", e.step());
    assertEquals("WORKDIR ${V: cannot expand \"${V\": syntax error: missing '}'", e.problem());
  }
}
