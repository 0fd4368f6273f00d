package dev.minke.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerIgnoreTest {

  private static void assertExcluded(DockerIgnore ignore, String... paths) {
    for (String path : paths) {
      assertTrue(ignore.excludes(path), path + " should be excluded by " + ignore);
    }
  }

  private static void assertIncluded(DockerIgnore ignore, String... paths) {
    for (String path : paths) {
      assertFalse(ignore.excludes(path), path + " should be included by " + ignore);
    }
  }

  @Test
  void parse_commentsAndBlankLines_skipped() {
    DockerIgnore ignore = DockerIgnore.parse("# build output\n\n   \ntarget\n#dist\n");
    assertEquals(List.of("target"), ignore.patterns());
    assertIncluded(ignore, "dist", "# build output");
  }

  @Test
  void parse_hashAfterWhitespace_isPatternNotComment() {
    DockerIgnore ignore = DockerIgnore.parse("  #notes");
    assertExcluded(ignore, "#notes");
  }

  @Test
  void parse_crlfAndByteOrderMark_handled() {
    DockerIgnore ignore = DockerIgnore.parse("\uFEFFfoo\r\nbar\r\n");
    assertEquals(List.of("foo", "bar"), ignore.patterns());
  }

  @Test
  void parse_patterns_trimmedCleanedAndLeadingSlashDropped() {
    DockerIgnore ignore =
        DockerIgnore.parse("  foo  \n/abs\nx/../y/./z//\n! /keep/../kept\n./dot\n");
    assertEquals(List.of("foo", "abs", "y/z", "!kept", "dot"), ignore.patterns());
    assertExcluded(ignore, "foo", "abs", "y/z", "dot");
  }

  @Test
  void parse_empty_excludesNothing() {
    DockerIgnore ignore = DockerIgnore.parse("");
    assertTrue(ignore.isEmpty());
    assertIncluded(ignore, "a", "a/b");
  }

  @Test
  void excludes_plainName_matchesAtRootOnly() {
    DockerIgnore ignore = DockerIgnore.parse("foo");
    assertExcluded(ignore, "foo");
    assertIncluded(ignore, "a/foo", "foobar", "fo");
  }

  @Test
  void excludes_directoryPattern_excludesEverythingInside() {
    DockerIgnore ignore = DockerIgnore.parse("node_modules");
    assertExcluded(ignore, "node_modules", "node_modules/a", "node_modules/a/b/c.js");
    assertIncluded(ignore, "src/node_modules");
  }

  @Test
  void excludes_star_doesNotCrossSlash() {
    DockerIgnore ignore = DockerIgnore.parse("*.md");
    assertExcluded(ignore, "README.md", ".md");
    assertIncluded(ignore, "docs/guide.md", "README.mdx");
  }

  @Test
  void excludes_starInFirstComponent_matchesOneLevel() {
    DockerIgnore ignore = DockerIgnore.parse("*/temp*");
    assertExcluded(ignore, "a/temp", "a/temporary", "a/temp/inside");
    assertIncluded(ignore, "temp", "a/b/temp");
  }

  @Test
  void excludes_wildcardMatchingParentDir_excludesContents() {
    DockerIgnore ignore = DockerIgnore.parse("*/cache");
    assertExcluded(ignore, "a/cache", "a/cache/x/y");
    assertIncluded(ignore, "cache", "a/b/cache");
  }

  @Test
  void excludes_questionMark_matchesOneNonSlashCharacter() {
    DockerIgnore ignore = DockerIgnore.parse("temp?");
    assertExcluded(ignore, "temp1", "tempx");
    assertIncluded(ignore, "temp", "temp12");
    assertIncluded(DockerIgnore.parse("a?b"), "a/b");
  }

  @Test
  void excludes_leadingDoubleStar_matchesAtAnyDepth() {
    DockerIgnore ignore = DockerIgnore.parse("**/*.go");
    assertExcluded(ignore, "main.go", "a/main.go", "a/b/c/main.go");
    assertIncluded(ignore, "main.goo", "a/go");
  }

  @Test
  void excludes_doubleStarInMiddle_matchesZeroOrMoreDirectories() {
    DockerIgnore ignore = DockerIgnore.parse("a/**/b");
    assertExcluded(ignore, "a/b", "a/x/b", "a/x/y/b", "a/x/b/c");
    assertIncluded(ignore, "ab", "a/xb", "x/a/b");
  }

  @Test
  void excludes_trailingDoubleStar_matchesContentsNotDirItself() {
    DockerIgnore ignore = DockerIgnore.parse("build/**");
    assertExcluded(ignore, "build/x", "build/x/y");
    assertIncluded(ignore, "build", "builder");
  }

  @Test
  void excludes_doubleStarAlone_excludesEverything() {
    DockerIgnore ignore = DockerIgnore.parse("**\n!keep");
    assertExcluded(ignore, "a", "a/b", ".git/config");
    assertIncluded(ignore, "keep", "keep/inside");
  }

  @Test
  void excludes_characterClasses_followFilepathMatch() {
    DockerIgnore ignore = DockerIgnore.parse("file[0-9].txt\nlog[^a-c]\n[\\]x]");
    assertExcluded(ignore, "file1.txt", "logd", "]", "x");
    assertIncluded(ignore, "filea.txt", "file10.txt", "loga", "logc");
  }

  @Test
  void excludes_backslash_escapesNextCharacter() {
    DockerIgnore ignore = DockerIgnore.parse("\\*star\nq\\?\n\\d");
    assertExcluded(ignore, "*star", "q?", "d");
    assertIncluded(ignore, "xstar", "qx", "1");
  }

  @Test
  void excludes_regexCharacters_areLiteral() {
    DockerIgnore ignore = DockerIgnore.parse("a.b\n(x)+{y}|$");
    assertExcluded(ignore, "a.b", "(x)+{y}|$");
    assertIncluded(ignore, "axb", "xxy");
  }

  @Test
  void excludes_exception_lastMatchWins() {
    DockerIgnore ignore = DockerIgnore.parse("*.md\n!README.md");
    assertExcluded(ignore, "CHANGES.md");
    assertIncluded(ignore, "README.md");

    DockerIgnore reversed = DockerIgnore.parse("!README.md\n*.md");
    assertExcluded(reversed, "README.md", "CHANGES.md");
  }

  @Test
  void excludes_exceptionInsideExcludedDir_reincludesOnlyThatFile() {
    DockerIgnore ignore = DockerIgnore.parse("docs\n!docs/keep.md");
    assertExcluded(ignore, "docs", "docs/other.md", "docs/sub/keep.md");
    assertIncluded(ignore, "docs/keep.md");
  }

  @Test
  void excludes_exceptionForDir_reincludesItsContents() {
    DockerIgnore ignore = DockerIgnore.parse("*\n!src");
    assertExcluded(ignore, "README.md", "target/classes");
    assertIncluded(ignore, "src", "src/main/App.java");
  }

  @Test
  void excludes_exclusionAfterException_excludesAgain() {
    DockerIgnore ignore = DockerIgnore.parse("a\n!a/b\na/b/c");
    assertExcluded(ignore, "a/x", "a/b/c", "a/b/c/d");
    assertIncluded(ignore, "a/b", "a/b/d");
  }

  @Test
  void excludes_wildcardException_reincludesAtAnyDepth() {
    DockerIgnore ignore = DockerIgnore.parse("vendor\n!**/*.go");
    assertExcluded(ignore, "vendor/README", "vendor/a/LICENSE");
    assertIncluded(ignore, "vendor/a/b.go", "main.go");
  }

  @ParameterizedTest
  @ValueSource(strings = {"./foo", "foo/", "/foo", "foo//", "bar/../foo"})
  void excludes_pathSpelledDifferently_normalizedFirst(String path) {
    assertTrue(DockerIgnore.parse("foo").excludes(path));
  }

  @Test
  void excludes_contextRoot_neverExcluded() {
    DockerIgnore ignore = DockerIgnore.parse("*");
    assertIncluded(ignore, ".", "", "/");
    assertExcluded(ignore, "a", "a/b");
  }

  @Test
  void mayIncludeBelow_dirNotExcluded_true() {
    assertTrue(DockerIgnore.parse("*.log").mayIncludeBelow("src"));
  }

  @Test
  void mayIncludeBelow_excludedDirWithoutExceptions_false() {
    assertFalse(DockerIgnore.parse("node_modules\n*.log").mayIncludeBelow("node_modules"));
  }

  @Test
  void mayIncludeBelow_exceptionInsideDir_true() {
    assertTrue(DockerIgnore.parse("docs\n!docs/keep.md").mayIncludeBelow("docs"));
    assertTrue(DockerIgnore.parse("a\n!a/b/c/d").mayIncludeBelow("a/b"));
  }

  @Test
  void mayIncludeBelow_exceptionElsewhere_false() {
    DockerIgnore ignore = DockerIgnore.parse("docs\ntarget\n!src/keep\n!docsx/a\n!*.md");
    assertFalse(ignore.mayIncludeBelow("docs"));
    assertFalse(ignore.mayIncludeBelow("target"));
  }

  @Test
  void mayIncludeBelow_exceptionBeforeTheExclusion_false() {
    // !c/** comes first, so c/d (later) wins for everything under c/d.
    assertFalse(DockerIgnore.parse("!c/**\nc/d").mayIncludeBelow("c/d"));
  }

  @Test
  void mayIncludeBelow_wildcardException_true() {
    assertTrue(DockerIgnore.parse("vendor\n!**/*.go").mayIncludeBelow("vendor/a"));
    assertTrue(DockerIgnore.parse("*\n!*/keep").mayIncludeBelow("docs"));
  }

  @Test
  void mayIncludeBelow_agreesWithExcludes_whenItSaysNo() {
    DockerIgnore ignore = DockerIgnore.parse("a\n!a/b/keep\n!c/**\nc/d");
    for (String dir : List.of("a", "a/x", "a/b", "c", "c/d", "e")) {
      if (!ignore.mayIncludeBelow(dir)) {
        for (String child : List.of("/f", "/keep", "/b/keep", "/x/y")) {
          assertTrue(ignore.excludes(dir + child), dir + child + " under a skipped dir");
        }
      }
    }
    assertFalse(ignore.mayIncludeBelow("a/x"));
    assertFalse(ignore.mayIncludeBelow("c/d"));
    assertTrue(ignore.mayIncludeBelow("a/b"));
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[a-    | no closing ]",
        "[      | no closing ]",
        "[]     | must be escaped",
        "[^]    | must be escaped",
        "[-a]   | must be escaped",
        "[a-]   | must be escaped",
        "[z-a]  | runs backwards",
        "abc\\  | escapes nothing",
        "!      | needs a pattern",
      })
  void parse_badPattern_rejectedNamingLineAndPattern(String pattern, String reason) {
    InvalidIgnorePatternException e =
        assertThrows(
            InvalidIgnorePatternException.class,
            () -> DockerIgnore.parse("# header\ngood\n" + pattern + "\n"));
    assertEquals(3, e.lineNumber());
    assertEquals(pattern, e.pattern());
    assertTrue(e.getMessage().startsWith(".dockerignore line 3: bad pattern"), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(e.hint().isEmpty());
  }

  @Test
  void load_noDockerignore_excludesNothing(@TempDir Path context) {
    DockerIgnore ignore = DockerIgnore.load(context);
    assertTrue(ignore.isEmpty());
    assertFalse(ignore.excludes("anything"));
  }

  @Test
  void load_dockerignorePresent_readsIt(@TempDir Path context) throws IOException {
    Files.writeString(context.resolve(".dockerignore"), "target\n!target/app.jar\n");
    DockerIgnore ignore = DockerIgnore.load(context);
    assertExcluded(ignore, "target/classes");
    assertIncluded(ignore, "target/app.jar", "src");
  }
}
