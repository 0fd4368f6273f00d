package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java literals read back by JShell as exactly the printed string. */
class JavaLiteralsTest {
  private static DslShell shell;

  private static final List<String> TRICKY = List.of(
      "",
      "plain",
      "quote \" and backslash \\ and both \\\"",
      "a \\u0022 unicode escape in the text, and \\\\u0041",
      "new\nline, tab\t, cr\r, nul\0, bell\7, del\177, form\f, backspace\b",
      "octal next to digits: \0017 \0339",
      "line separator \u2028, paragraph \u2029, bom \ufeff, nbsp \u00a0, bidi \u202e",
      "letters é ß 中文 and an emoji 😀 and a lone surrogate \ud800.",
      "script\n  indented\n\ttabbed\ntrailing space \ntrailing tab\t\n\n  \nend\n",
      "quotes in a text block\n\"\"\" three\n\"\"\"\" four \"\"\"\"\"\" six\nlast \"\n",
      "backslash at the end of a line \\\n\\\nand \\u0022\n",
      "   leading blanks\n    \n",
      "set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates "
          + "\t\tcurl \t; \trm -rf /var/lib/apt/lists/*",
      "x".repeat(300) + " " + "y".repeat(10),
      "echo " + "word ".repeat(80),
      "a    b" + "c".repeat(100) + "  \t  d");

  @BeforeAll
  static void startShell() throws Exception {
    shell = DslShell.shared();
  }

  @Test
  void literal_readsBackAsTheSameString() {
    for (String value : TRICKY) {
      String literal = JavaLiterals.literal(value, 8);
      assertEquals(value, shell.eval(literal), literal);
      assertEquals(value, shell.eval(JavaLiterals.quote(value)), JavaLiterals.quote(value));
    }
  }

  @Test
  void literal_multiLineText_isATextBlock() {
    assertEquals("\"\"\"\n        a\n        \"b\"\n        \"\"\\\"\n        \"\"\"", JavaLiterals.literal("a\n\"b\"\n\"\"\"\n", 8));
  }

  @Test
  void literal_longCommand_isCutWhereTheDockerfileLinesBegan() {
    String literal = JavaLiterals.literal("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends "
        + "\t\tca-certificates \t; \trm -rf /var/lib/apt/lists/*", 8);
    assertEquals("""
        "set -eux; "
                + "\\tapt-get update; "
                + "\\tapt-get install -y --no-install-recommends "
                + "\\t\\tca-certificates "
                + "\\t; "
                + "\\trm -rf /var/lib/apt/lists/*\"""", literal);
  }

  @Test
  void quote_neverUsesUnicodeEscapesBelow0x80() {
    for (String value : TRICKY) {
      assertTrue(!JavaLiterals.quote(value).matches("(?s).*(?<!\\\\)(\\\\\\\\)*\\\\u00[0-7].*"), value);
    }
  }
}
