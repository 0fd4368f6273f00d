package dev.minke.build.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pattern modifiers and options the BuildKit vectors do not cover. */
class ShellExpanderTest {
  private static final Map<String, String> ENV = Map.of("v", "a/b/c", "file", "x.tar.gz");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "${v#*/}      | b/c",
      "${v##*/}     | c",
      "${v%/*}      | a/b",
      "${v%%/*}     | a",
      "${file%.*}   | x.tar",
      "${file%%.*}  | x",
      "${v/b/x}     | a/x/c",
      "${v//\\//-}  | a-b-c",
      "${v/#a/z}    | a/b/c",
      "${nope#a}    | ''",
      "${v#\\*}     | a/b/c",
  })
  void expand_patternModifiers(String input, String expected) {
    assertEquals(expected, ShellExpander.standard().expand(input, ENV));
  }

  @Test
  void expand_colonWithPattern_rejected() {
    ShellExpansionException e = assertThrows(ShellExpansionException.class,
        () -> ShellExpander.standard().expand("${v:#a}", ENV));
    assertEquals("unsupported modifier (:#) in substitution", e.reason());
  }

  @Test
  void expand_backtickEscape_escapesDollar() {
    assertEquals("$v \\", ShellExpander.withEscape('`').expand("`$v \\", ENV));
  }

  @Test
  void expand_skipUnsetEnv_keepsReference() {
    ShellExpander keep = ShellExpander.standard().withSkipUnsetEnv(true);
    assertEquals("$X ${Y} ${Z:-d} a/b/c", keep.expand("$X ${Y} ${Z:-d} $v", ENV));
  }

  @Test
  void words_rawQuotes_keepQuotes() {
    assertEquals(List.of("<<'EOF'", "a b"),
        ShellExpander.standard().withRawQuotes(true).words("<<'EOF' a\\ b", ENV));
  }
}
