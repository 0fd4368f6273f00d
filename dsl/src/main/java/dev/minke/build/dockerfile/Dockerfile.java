package dev.minke.build.dockerfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed Dockerfile: its instructions, in order, split the way BuildKit's parser splits them,
 * so that {@link #dump()} prints exactly BuildKit's AST dump.
 *
 * <p>The parser follows BuildKit: parser directives ({@code # escape=`}, {@code # syntax=…},
 * {@code # check=…}) only before anything else; comments; line continuations with the escape
 * token (comment lines and empty lines inside a continuation are skipped); here-documents of
 * RUN, COPY and ADD; JSON (exec) form; {@code --flags}; unknown instructions are kept. Nothing is
 * expanded here: use {@link ShellExpander} on the arguments.
 *
 * @param instructions the instructions in file order
 * @param escapeToken {@code \} or {@code `}
 * @param directives the parser directives by lower-case name, e.g. {@code syntax}
 * @param warnings things BuildKit warns about, e.g. empty continuation lines
 */
public record Dockerfile(List<Instruction> instructions, char escapeToken,
    Map<String, String> directives, List<String> warnings) {

  public Dockerfile {
    instructions = List.copyOf(instructions);
    directives = Map.copyOf(directives);
    warnings = List.copyOf(warnings);
  }

  /** Parses Dockerfile text. */
  public static Dockerfile parse(String text) {
    return new DockerfileParser(text).parse();
  }

  /** Reads and parses a Dockerfile (UTF-8). */
  public static Dockerfile read(Path file) {
    try {
      return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Dockerfile " + file, e);
    }
  }

  /** The first line of the first instruction. */
  public int startLine() {
    return instructions.get(0).startLine();
  }

  /** The last line of the last instruction. */
  public int endLine() {
    return instructions.get(instructions.size() - 1).endLine();
  }

  /** BuildKit's AST dump: one {@code (instruction …)} line per instruction, each ending in \n. */
  public String dump() {
    StringBuilder out = new StringBuilder();
    for (Instruction instruction : instructions) {
      out.append('(').append(instruction.dump()).append(")\n");
    }
    return out.toString();
  }
}
