package dev.minke.build.dockerfile;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes the Dockerfile parser and the shell-word expander behind it (TESTING.md, Fuzzing).
 *
 * <p>Declared failures: {@link DockerfileSyntaxException} from parsing and {@link
 * ShellExpansionException} from expanding. Anything else escaping is a finding.
 */
class DockerfileFuzzIT {
  private static final Map<String, String> ENV = Map.of("A", "a b", "EMPTY", "", "X", "x");

  @DictionaryFile(resourcePath = "dockerfile.dict")
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] input) {
    Dockerfile dockerfile;
    try {
      dockerfile = Dockerfile.parse(new String(input, StandardCharsets.UTF_8));
    } catch (DockerfileSyntaxException declared) {
      return;
    }
    dockerfile.dump();
    for (Instruction instruction : dockerfile.instructions()) {
      visit(instruction, dockerfile.escapeToken());
    }
  }

  private static void visit(Instruction instruction, char escapeToken) {
    instruction.pairs();
    instruction.flag("from");
    instruction.flagValues("mount");
    if (instruction.trigger() != null) {
      visit(instruction.trigger(), escapeToken);
    }
    ShellExpander expander = ShellExpander.withEscape(escapeToken);
    for (String word : instruction.args()) {
      expand(expander, word);
    }
    for (Heredoc heredoc : instruction.heredocs()) {
      expand(expander.withRawQuotes(true), heredoc.content());
    }
  }

  private static void expand(ShellExpander expander, String word) {
    try {
      expander.expand(word, ENV);
      expander.words(word, ENV);
    } catch (ShellExpansionException declared) {
      // a bad substitution, reported with the word
    }
  }
}
