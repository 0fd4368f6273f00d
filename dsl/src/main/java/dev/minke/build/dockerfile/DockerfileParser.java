package dev.minke.build.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Dockerfile text into instructions, line by line, the way BuildKit's parser does. */
final class DockerfileParser {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^#[\\t\\n\\f\\r ]*([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(.+?)[\\t\\n\\f\\r ]*$",
          Pattern.DOTALL);
  private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
  private static final Pattern HEREDOC = Pattern.compile("^([0-9]*)<<(-?)([^<]*)$", Pattern.DOTALL);
  private static final Set<String> HEREDOC_KEYWORDS = Set.of("add", "copy", "run");

  private final List<String> lines;
  private int next;
  private int currentLine;
  private char escapeToken = '\\';
  private boolean directivesDone;
  private final Map<String, String> directives = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  DockerfileParser(String text) {
    this.lines = splitLines(text);
  }

  /** Lines with their newline kept, like BuildKit's scanner. */
  private static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      lines.add(text.substring(start, end));
      start = end;
    }
    return lines;
  }

  Dockerfile parse() {
    List<Instruction> instructions = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    while (next < lines.size()) {
      String raw = lines.get(next++);
      if (currentLine == 0 && raw.startsWith("\uFEFF")) {
        raw = raw.substring(1);
      }
      if (isComment(raw)) {
        String comment = GoText.trimSpace(raw.substring(1));
        if (comment.isEmpty()) {
          comments.clear();
        } else {
          comments.add(comment);
        }
      }
      String processed = processLine(raw, true);
      currentLine++;
      int startLine = currentLine;
      Continuation first = trimContinuation(processed);
      if (first.endOfLine && first.line.isEmpty()) {
        continue;
      }
      StringBuilder line = new StringBuilder(first.line);
      boolean endOfLine = first.endOfLine;
      boolean emptyContinuationLine = false;
      while (!endOfLine && next < lines.size()) {
        String rawNext = lines.get(next++);
        String processedNext = processLine(rawNext, false);
        currentLine++;
        if (isComment(rawNext)) {
          continue; // comment lines inside a continuation are skipped
        }
        if (GoText.trimLeftSpace(trimNewline(processedNext)).isEmpty()) {
          emptyContinuationLine = true;
          continue;
        }
        Continuation c = trimContinuation(processedNext);
        line.append(c.line);
        endOfLine = c.endOfLine;
      }
      if (emptyContinuationLine) {
        warnings.add("line " + currentLine + ": empty continuation line");
      }
      Instruction instruction = instruction(line.toString(), startLine, comments);
      if (canContainHeredoc(instruction) && line.indexOf("<<") >= 0) {
        instruction = withHeredocs(instruction, line.toString(), startLine);
      }
      instructions.add(instruction);
      comments = new ArrayList<>();
    }
    if (instructions.isEmpty()) {
      throw new DockerfileSyntaxException(currentLine, currentLine, "file with no instructions");
    }
    return new Dockerfile(instructions, escapeToken, directives, warnings);
  }

  private record Continuation(String line, boolean endOfLine) {}

  /**
   * A line ending in the escape token (then only spaces and tabs) continues on the next line;
   * a doubled escape token at the end does not.
   */
  private Continuation trimContinuation(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == 0 || line.charAt(end - 1) != escapeToken) {
      return new Continuation(line, true);
    }
    int escape = end - 1;
    if (escape > 0 && line.charAt(escape - 1) == escapeToken) {
      return new Continuation(line, true);
    }
    return new Continuation(line.substring(0, escape), false);
  }

  /** Strips the newline (and leading space if asked), checks for directives, drops comments. */
  private String processLine(String raw, boolean stripLeadingSpace) {
    String token = trimNewline(raw);
    if (stripLeadingSpace) {
      token = GoText.trimLeftSpace(token);
    }
    possibleDirective(token);
    return isComment(token) ? "" : token;
  }

  private void possibleDirective(String token) {
    if (directivesDone) {
      return;
    }
    Matcher m = DIRECTIVE.matcher(token);
    String name = m.matches() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    if (name == null || !KNOWN_DIRECTIVES.contains(name)) {
      directivesDone = true;
      return;
    }
    int line = currentLine + 1;
    if (directives.containsKey(name)) {
      throw new DockerfileSyntaxException(line, line,
          "only one " + name + " parser directive can be used");
    }
    String value = m.group(2);
    directives.put(name, value);
    if (name.equals("escape")) {
      if (!value.equals("`") && !value.equals("\\")) {
        throw new DockerfileSyntaxException(line, line,
            "invalid escape token '" + value + "' does not match ` or \\");
      }
      escapeToken = value.charAt(0);
    }
  }

  private Instruction instruction(String line, int startLine, List<String> comments) {
    try {
      return instruction(line, startLine, currentLine, comments);
    } catch (InstructionArgs.ArgsException e) {
      throw new DockerfileSyntaxException(startLine, currentLine, e.getMessage());
    }
  }

  private Instruction instruction(String line, int startLine, int endLine, List<String> comments)
      throws InstructionArgs.ArgsException {
    InstructionArgs.Command command = InstructionArgs.splitCommand(line);
    InstructionArgs.Parsed parsed = new InstructionArgs(escapeToken).parse(command.keyword(),
        command.rest(), rest -> instruction(rest, startLine, endLine, List.of()));
    return new Instruction(command.keyword(), command.flags(), parsed.args(), parsed.trigger(),
        parsed.json(), List.of(), line, startLine, endLine, comments);
  }

  /** RUN, COPY and ADD in shell form (also inside ONBUILD) may have here-documents. */
  private static boolean canContainHeredoc(Instruction instruction) {
    Instruction target = instruction.keyword().equals("onbuild") && instruction.trigger() != null
        ? instruction.trigger() : instruction;
    return HEREDOC_KEYWORDS.contains(target.keyword()) && !target.jsonForm();
  }

  /** Reads the bodies of the line's here-documents from the following lines. */
  private Instruction withHeredocs(Instruction instruction, String line, int startLine) {
    List<Heredoc> heredocs = new ArrayList<>();
    for (Heredoc start : heredocStarts(line, startLine)) {
      StringBuilder content = new StringBuilder();
      boolean terminated = false;
      while (next < lines.size()) {
        String raw = lines.get(next++);
        currentLine++;
        String candidate = trimNewline(raw);
        if (start.chomp()) {
          candidate = candidate.replaceFirst("^\t+", "");
        }
        if (candidate.equals(start.name())) {
          terminated = true;
          break;
        }
        content.append(raw);
      }
      if (!terminated) {
        throw new DockerfileSyntaxException(startLine, currentLine, "unterminated heredoc");
      }
      heredocs.add(new Heredoc(start.name(), content.toString(), start.expand(), start.chomp(),
          start.fileDescriptor()));
    }
    return new Instruction(instruction.keyword(), instruction.flags(), instruction.args(),
        instruction.trigger(), instruction.jsonForm(), heredocs, instruction.original(),
        instruction.startLine(), currentLine, instruction.comments());
  }

  private List<Heredoc> heredocStarts(String line, int startLine) {
    List<String> words;
    try {
      words = ShellExpander.standard().withRawQuotes(true).withRawEscapes(true)
          .words(line, Map.of());
    } catch (ShellExpansionException e) {
      return List.of(); // BuildKit ignores a line it cannot split here
    }
    List<Heredoc> starts = new ArrayList<>();
    for (String word : words) {
      Matcher m = HEREDOC.matcher(word);
      if (!m.matches() || m.group(3).isEmpty()) {
        continue;
      }
      try {
        Heredoc heredoc = heredocStart(m);
        if (heredoc != null) {
          starts.add(heredoc);
        }
      } catch (ShellExpansionException e) {
        throw new DockerfileSyntaxException(startLine, currentLine, e.reason());
      }
    }
    return starts;
  }

  /** The delimiter word; a quoted delimiter (any part of it) means the body is not expanded. */
  private static Heredoc heredocStart(Matcher m) {
    String rest = m.group(3);
    ShellExpander lexer = ShellExpander.standard().withSkipUnsetEnv(true);
    List<String> words = lexer.words(rest, Map.of());
    if (words.size() != 1) {
      return null;
    }
    List<String> rawWords = lexer.withRawQuotes(true).words(rest, Map.of());
    if (rawWords.size() != 1) {
      throw new ShellExpansionException(rest,
          "internal lexing of heredoc produced inconsistent results: " + rest);
    }
    boolean expand = quoteCount(words.get(0)) == quoteCount(rawWords.get(0));
    int fd = m.group(1).isEmpty() ? 0 : parseFd(m.group(1));
    return new Heredoc(words.get(0), "", expand, m.group(2).equals("-"), fd);
  }

  private static int parseFd(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return 0; // Go's ParseUint error is ignored too
    }
  }

  private static int quoteCount(String word) {
    return (int) word.chars().filter(c -> c == '\'' || c == '"').count();
  }

  private static String trimNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n')) {
      end--;
    }
    return s.substring(0, end);
  }

  private static boolean isComment(String line) {
    String trimmed = GoText.trimLeftSpace(line);
    return !trimmed.isEmpty() && trimmed.charAt(0) == '#';
  }
}
