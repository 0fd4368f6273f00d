package dev.minke.build.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

  @Test
  void parse_heredoc_readsBody() {
    Dockerfile df = Dockerfile.parse("FROM x\nRUN <<EOF\necho hi\necho $HOME\nEOF\nUSER me\n");
    Instruction run = df.instructions().get(1);
    assertEquals(List.of("<<EOF"), run.args());
    assertEquals(List.of(new Heredoc("EOF", "echo hi\necho $HOME\n", true, false, 0)), run.heredocs());
    assertEquals(2, run.startLine());
    assertEquals(5, run.endLine());
    assertEquals("user", df.instructions().get(2).keyword());
    assertEquals("(from \"x\")\n(run \"<<EOF\")\n(user \"me\")\n", df.dump());
  }

  @Test
  void parse_quotedChompedHeredoc_notExpanded() {
    Dockerfile df = Dockerfile.parse("FROM x\nCOPY <<-'EOT' 3<<B /dst/\n\thello\n\tEOT\nb\nB\n");
    List<Heredoc> docs = df.instructions().get(1).heredocs();
    assertEquals(new Heredoc("EOT", "\thello\n", false, true, 0), docs.get(0));
    assertEquals(new Heredoc("B", "b\n", true, false, 3), docs.get(1));
  }

  @Test
  void parse_heredocInExecForm_ignored() {
    Dockerfile df = Dockerfile.parse("FROM x\nRUN [\"cat\", \"<<EOF\"]\nEOF\n");
    assertTrue(df.instructions().get(1).heredocs().isEmpty());
    assertEquals(3, df.instructions().size());
  }

  @Test
  void parse_unterminatedHeredoc_fails() {
    DockerfileSyntaxException e = assertThrows(DockerfileSyntaxException.class,
        () -> Dockerfile.parse("FROM x\nRUN <<EOF\necho\n"));
    assertEquals("unterminated heredoc", e.reason());
    assertEquals(2, e.startLine());
    assertEquals(3, e.endLine());
  }

  @Test
  void parse_onbuild_nestsTrigger() {
    Instruction onbuild = Dockerfile.parse("FROM x\nONBUILD COPY --from=b a /b\n").instructions().get(1);
    assertEquals("copy", onbuild.trigger().keyword());
    assertEquals(Optional.of("b"), onbuild.trigger().flag("from"));
    assertEquals("onbuild (copy [\"--from=b\"] \"a\" \"/b\")", onbuild.dump());
  }

  @Test
  void parse_envPairs_bothForms() {
    Dockerfile df = Dockerfile.parse("FROM x\nENV A 1 2\nLABEL a=\"x y\" b=2\n");
    assertEquals(List.of(new Instruction.Pair("A", "1 2", true)), df.instructions().get(1).pairs());
    assertEquals(List.of(new Instruction.Pair("a", "\"x y\"", false), new Instruction.Pair("b", "2", false)),
        df.instructions().get(2).pairs());
  }

  @Test
  void parse_directives_onlyAtTop() {
    Dockerfile df = Dockerfile.parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM x\n# escape=\\\n");
    assertEquals('`', df.escapeToken());
    assertEquals("docker/dockerfile:1", df.directives().get("syntax"));
    assertFalse(df.instructions().isEmpty());
  }

  @Test
  void parse_repeatedDirective_fails() {
    DockerfileSyntaxException e = assertThrows(DockerfileSyntaxException.class,
        () -> Dockerfile.parse("# escape=`\n# escape=`\nFROM x\n"));
    assertEquals("only one escape parser directive can be used", e.reason());
  }

  @Test
  void parse_unknownInstruction_keptWithEmptyArgument() {
    assertEquals("(from \"x\")\n(frobnicate \"\")\n", Dockerfile.parse("FROM x\nFROBNICATE a b\n").dump());
  }
}
