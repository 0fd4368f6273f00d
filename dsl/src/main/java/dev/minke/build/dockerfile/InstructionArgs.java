package dev.minke.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits an instruction's arguments the way BuildKit's parser does for each keyword: JSON or a
 * single string (RUN, CMD, ENTRYPOINT, SHELL), JSON or words (ADD, COPY, VOLUME), words (FROM,
 * EXPOSE), name/value pairs (ENV, LABEL), names (ARG), type plus command (HEALTHCHECK), a nested
 * instruction (ONBUILD), or the rest as one string (USER, WORKDIR, MAINTAINER, STOPSIGNAL).
 */
final class InstructionArgs {
  /** Go's {@code [\t\v\f\r ]+}. */
  static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");

  /** The arguments of one instruction. */
  record Parsed(List<String> args, Instruction trigger, boolean json) {
    static final Parsed NONE = new Parsed(List.of(), null, false);

    static Parsed of(List<String> args) {
      return new Parsed(args, null, false);
    }
  }

  /** Thrown for a syntax error; the parser adds the line numbers. */
  static final class ArgsException extends Exception {
    ArgsException(String message) {
      super(message, null, false, false);
    }
  }

  /** An instruction line split into keyword, flags and the rest. */
  record Command(String keyword, List<String> flags, String rest) {}

  /** Parses the instruction inside ONBUILD. */
  interface Nested {
    Instruction create(String line) throws ArgsException;
  }

  private final int escapeToken;

  InstructionArgs(int escapeToken) {
    this.escapeToken = escapeToken;
  }

  /** Splits off the keyword and the leading {@code --flags}. */
  static Command splitCommand(String line) {
    List<String> parts = GoText.split(WHITESPACE, GoText.trimSpace(line), 2);
    if (parts.size() < 2) {
      return new Command(parts.get(0), List.of(), "");
    }
    List<String> flags = new ArrayList<>();
    String rest = Flags.extract(parts.get(1), flags);
    return new Command(parts.get(0), flags, GoText.trimSpace(rest));
  }

  Parsed parse(String keyword, String rest, Nested nested) throws ArgsException {
    switch (keyword.toLowerCase(Locale.ROOT)) {
      case "add", "copy", "volume":
        return maybeJsonToList(rest);
      case "arg":
        return Parsed.of(words(rest));
      case "cmd", "entrypoint", "run", "shell":
        return maybeJson(rest);
      case "env":
        return nameValues(rest, "ENV");
      case "label":
        return nameValues(rest, "LABEL");
      case "expose", "from":
        return rest.isEmpty() ? Parsed.NONE : Parsed.of(GoText.split(WHITESPACE, rest, -1));
      case "healthcheck":
        return healthcheck(rest);
      case "maintainer", "stopsignal", "user", "workdir":
        return rest.isEmpty() ? Parsed.NONE : Parsed.of(List.of(rest));
      case "onbuild":
        return rest.isEmpty() ? Parsed.NONE : new Parsed(List.of(), nested.create(rest), false);
      default:
        // BuildKit keeps an unknown instruction with one empty argument; the builder rejects it.
        return Parsed.of(List.of(""));
    }
  }

  private static Parsed maybeJson(String rest) throws ArgsException {
    if (rest.isEmpty()) {
      return Parsed.NONE;
    }
    try {
      return new Parsed(JsonArgs.parse(rest), null, true);
    } catch (JsonArgs.NotStringArray e) {
      throw new ArgsException(e.getMessage());
    } catch (JsonArgs.NotJson e) {
      return Parsed.of(List.of(rest));
    }
  }

  private static Parsed maybeJsonToList(String rest) throws ArgsException {
    try {
      return new Parsed(JsonArgs.parse(rest), null, true);
    } catch (JsonArgs.NotStringArray e) {
      throw new ArgsException(e.getMessage());
    } catch (JsonArgs.NotJson e) {
      return rest.isEmpty() ? Parsed.NONE : Parsed.of(GoText.split(WHITESPACE, rest, -1));
    }
  }

  /** HEALTHCHECK: the type (CMD, NONE …) and then the command, JSON or shell form. */
  private static Parsed healthcheck(String rest) throws ArgsException {
    int sep = 0;
    while (sep < rest.length() && !isAsciiSpace(rest.charAt(sep))) {
      sep++;
    }
    int next = sep;
    while (next < rest.length() && isAsciiSpace(rest.charAt(next))) {
      next++;
    }
    if (sep == 0) {
      return Parsed.NONE;
    }
    Parsed command = maybeJson(rest.substring(next));
    List<String> args = new ArrayList<>();
    args.add(rest.substring(0, sep));
    args.addAll(command.args());
    return new Parsed(args, null, command.json());
  }

  private static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /**
   * ENV and LABEL: {@code key=value …} (quotes kept), or the legacy {@code key value} where the
   * value is the rest of the line. Each pair gives key, value and the separator.
   */
  private Parsed nameValues(String rest, String keyword) throws ArgsException {
    List<String> words = words(rest);
    if (words.isEmpty()) {
      return Parsed.NONE;
    }
    if (!words.get(0).contains("=")) {
      List<String> parts = GoText.split(WHITESPACE, rest, 2);
      if (parts.size() < 2) {
        throw new ArgsException(keyword + " must have two arguments");
      }
      return Parsed.of(List.of(parts.get(0), parts.get(1), ""));
    }
    List<String> args = new ArrayList<>();
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new ArgsException("Syntax error - can't find = in " + GoText.quote(word)
            + ". Must be of the form: name=value");
      }
      args.add(word.substring(0, eq));
      args.add(word.substring(eq + 1));
      args.add("=");
    }
    return Parsed.of(args);
  }

  /**
   * Space-separated words; quotes and escapes are kept in the words (they are removed later, by
   * expansion), but a quoted or escaped space does not split.
   */
  List<String> words(String rest) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean inQuote = false;
    int quote = 0;
    boolean blankOk = false;
    int[] chars = rest.codePoints().toArray();
    for (int pos = 0; pos <= chars.length; pos++) {
      boolean end = pos == chars.length;
      int ch = end ? 0 : chars[pos];
      if (!inWord && !inQuote) {
        if (end) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        inWord = true;
      }
      if (end) {
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        break;
      }
      if (!inQuote) {
        if (GoText.isSpace(ch)) {
          inWord = false;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inQuote = true;
          inWord = false;
        }
        if (ch == escapeToken) {
          if (pos + 1 == chars.length) {
            continue; // an escape token at the end of the line is dropped
          }
          // Outside quotes the escape token and the next character are both kept, even a quote.
          word.appendCodePoint(ch);
          pos++;
          ch = chars[pos];
        }
        word.appendCodePoint(ch);
        continue;
      }
      if (ch == quote) {
        inQuote = false;
        inWord = true;
      }
      // Inside '…' the escape token is literal; inside "…" it keeps the next character.
      if (ch == escapeToken && quote != '\'') {
        if (pos + 1 == chars.length) {
          inQuote = false;
          inWord = true;
          continue;
        }
        pos++;
        word.appendCodePoint(ch);
        ch = chars[pos];
      }
      word.appendCodePoint(ch);
    }
    return words;
  }
}
