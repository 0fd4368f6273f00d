package dev.minke.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dockerfile variable expansion and word splitting, as BuildKit's shell lexer does it: quotes,
 * the escape token, {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}}, {@code ${NAME-word}},
 * {@code ${NAME:+word}}, {@code ${NAME+word}}, {@code ${NAME?msg}}, {@code ${NAME:?msg}},
 * {@code ${NAME#pattern}}, {@code ${NAME##pattern}}, {@code ${NAME%pattern}},
 * {@code ${NAME%%pattern}} and {@code ${NAME/pattern/replacement}} ({@code //} for all).
 *
 * <p>Positional and special parameters ({@code $1}, {@code $@}, {@code $$} …) are never set in a
 * Dockerfile, so they expand to the empty string. The environment maps names to values; a name
 * that is absent is unset, a name mapped to "" is set and empty.
 */
public final class ShellExpander {
  private final int escapeToken;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipUnsetEnv;

  private ShellExpander(int escapeToken, boolean rawQuotes, boolean rawEscapes,
      boolean skipUnsetEnv) {
    this.escapeToken = escapeToken;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipUnsetEnv = skipUnsetEnv;
  }

  /** An expander with the given escape token ({@code \} or {@code `}). */
  public static ShellExpander withEscape(char escapeToken) {
    if (escapeToken != '\\' && escapeToken != '`') {
      throw new IllegalArgumentException(
          "invalid escape token '" + escapeToken + "': use \\ or `");
    }
    return new ShellExpander(escapeToken, false, false, false);
  }

  /** The default expander, escape token {@code \}. */
  public static ShellExpander standard() {
    return withEscape('\\');
  }

  /** Keeps quote characters in the result instead of removing them. */
  public ShellExpander withRawQuotes(boolean keep) {
    return new ShellExpander(escapeToken, keep, rawEscapes, skipUnsetEnv);
  }

  /** Keeps escape tokens in the result instead of removing them. */
  public ShellExpander withRawEscapes(boolean keep) {
    return new ShellExpander(escapeToken, rawQuotes, keep, skipUnsetEnv);
  }

  /** Leaves references to unset variables as written instead of expanding them to "". */
  public ShellExpander withSkipUnsetEnv(boolean skip) {
    return new ShellExpander(escapeToken, rawQuotes, rawEscapes, skip);
  }

  /** The word with variables expanded and quotes removed; spaces are kept as they are. */
  public String expand(String word, Map<String, String> env) {
    return new Lexer(word, env).process().word;
  }

  /**
   * The word expanded and then split into words at unquoted white space; white space that comes
   * from a variable splits too, unless the variable is inside double quotes.
   */
  public List<String> words(String word, Map<String, String> env) {
    return new Lexer(word, env).process().words;
  }

  private record Result(String word, List<String> words) {}

  /** Collects the split words while the result string is built. */
  private static final class Words {
    private final List<String> words = new ArrayList<>();
    private StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(int cp) {
      if (GoText.isSpace(cp)) {
        if (inWord && word.length() != 0) {
          words.add(word.toString());
          word = new StringBuilder();
          inWord = false;
        }
      } else {
        addRawChar(cp);
      }
    }

    void addRawChar(int cp) {
      word.appendCodePoint(cp);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRawString(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        words.add(word.toString());
        word = new StringBuilder();
        inWord = false;
      }
      return words;
    }
  }

  /** Thrown inside the lexer; the public methods wrap it with the whole word. */
  private static final class Failure extends RuntimeException {
    Failure(String reason) {
      super(reason, null, false, false);
    }
  }

  private final class Lexer {
    private static final int EOF = -1;
    private final String source;
    private final int[] chars;
    private final Map<String, String> env;
    private int pos;

    Lexer(String source, Map<String, String> env) {
      this.source = source;
      this.chars = source.codePoints().toArray();
      this.env = env;
    }

    Result process() {
      try {
        return processStopOn(EOF, rawEscapes);
      } catch (Failure f) {
        throw new ShellExpansionException(source, f.getMessage());
      }
    }

    private int peek() {
      return pos < chars.length ? chars[pos] : EOF;
    }

    private int next() {
      return pos < chars.length ? chars[pos++] : EOF;
    }

    private Result processStopOn(int stopChar, boolean keepEscapes) {
      StringBuilder result = new StringBuilder();
      Words words = new Words();
      while (peek() != EOF) {
        int ch = peek();
        if (stopChar != EOF && ch == stopChar) {
          next();
          return new Result(result.toString(), words.finish());
        }
        if (ch == '\'' || ch == '"' || ch == '$') {
          String part = ch == '\'' ? singleQuoted() : ch == '"' ? doubleQuoted() : dollar();
          result.append(part);
          if (ch == '$') {
            words.addString(part);
          } else {
            words.addRawString(part);
          }
          continue;
        }
        ch = next();
        if (ch == escapeToken) {
          if (keepEscapes) {
            words.addRawChar(ch);
            result.appendCodePoint(ch);
          }
          // The escape token escapes the next character; at the end of the word it vanishes.
          ch = next();
          if (ch == EOF) {
            break;
          }
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
      if (stopChar != EOF) {
        throw new Failure(
            "unexpected end of statement while looking for matching " + Character.toString(stopChar));
      }
      return new Result(result.toString(), words.finish());
    }

    /** Everything up to the next single quote is literal; a single quote cannot be escaped. */
    private String singleQuoted() {
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        ch = next();
        if (ch == EOF) {
          throw new Failure("unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          if (rawQuotes) {
            result.appendCodePoint(ch);
          }
          return result.toString();
        }
        result.appendCodePoint(ch);
      }
    }

    /** Literal up to the next double quote, except {@code $} and escapes of {@code " $ \}. */
    private String doubleQuoted() {
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        int c = peek();
        if (c == EOF) {
          throw new Failure("unexpected end of statement while looking for matching double-quote");
        }
        if (c == '"') {
          next();
          if (rawQuotes) {
            result.append('"');
          }
          return result.toString();
        }
        if (c == '$') {
          result.append(dollar());
          continue;
        }
        ch = next();
        if (ch == escapeToken) {
          int after = peek();
          if (after == EOF) {
            continue; // an escape token at the very end is dropped
          }
          if (after == '"' || after == '$' || after == escapeToken) {
            if (rawEscapes) {
              result.appendCodePoint(ch);
            }
            ch = next();
          }
          // Any other escape token is kept as it is, and the next character is read normally.
        }
        result.appendCodePoint(ch);
      }
    }

    private String dollar() {
      next();
      if (peek() != '{') {
        String name = name();
        if (name.isEmpty()) {
          return "$";
        }
        String value = env.get(name);
        if (value == null && skipUnsetEnv) {
          return "$" + name;
        }
        return value == null ? "" : value;
      }
      next();
      int first = peek();
      if (first == EOF) {
        throw new Failure("syntax error: missing '}'");
      }
      if (first == '{' || first == '}' || first == ':') {
        throw new Failure("syntax error: bad substitution");
      }
      String name = name();
      int ch = next();
      switch (ch) {
        case EOF:
          throw new Failure("syntax error: missing '}'");
        case '}': {
          String value = env.get(name);
          if (value == null && skipUnsetEnv) {
            return "${" + name + "}";
          }
          return value == null ? "" : value;
        }
        case ':', '+', '-', '?', '#', '%':
          return modifier(name, ch);
        case '/':
          return replace(name);
        default:
          throw new Failure("unsupported modifier (" + modifierText(ch) + ") in substitution");
      }
    }

    private String modifier(String name, int first) {
      boolean nullIsUnset = false;
      int ch = first;
      String chs = Character.toString(first);
      if (ch == ':') {
        nullIsUnset = true;
        ch = next();
        chs += modifierText(ch);
      }
      boolean pattern = ch == '#' || ch == '%';
      if (nullIsUnset && pattern) {
        throw new Failure("unsupported modifier (" + chs + ") in substitution");
      }
      Result word;
      try {
        word = processStopOn('}', pattern);
      } catch (Failure f) {
        if (peek() == EOF) {
          throw new Failure("syntax error: missing '}'");
        }
        throw f;
      }
      String value = env.get(name);
      boolean set = value != null;
      if (!set && skipUnsetEnv) {
        return "${" + name + chs + word.word + "}";
      }
      boolean empty = !set || (nullIsUnset && value.isEmpty());
      switch (ch) {
        case '-':
          return empty ? word.word : value;
        case '+':
          return empty ? "" : word.word;
        case '?':
          if (!set) {
            throw new Failure(name + ": " + (word.word.isEmpty() ? "is not allowed to be unset" : word.word));
          }
          if (nullIsUnset && value.isEmpty()) {
            throw new Failure(name + ": " + (word.word.isEmpty() ? "is not allowed to be empty" : word.word));
          }
          return value;
        case '#', '%': {
          // # and % remove the shortest match, ## and %% the longest.
          String glob = word.word;
          boolean greedy = !glob.isEmpty() && glob.codePointAt(0) == ch;
          if (greedy) {
            glob = glob.substring(1);
          }
          String subject = value == null ? "" : value;
          try {
            return ch == '%'
                ? ShellPattern.trimSuffix(glob, subject, greedy)
                : ShellPattern.trimPrefix(glob, subject, greedy);
          } catch (IllegalArgumentException e) {
            throw new Failure("invalid pattern (" + glob + ") in substitution: " + e.getMessage());
          }
        }
        default:
          // ${NAME:=word} and the like: BuildKit reads the word first, then refuses.
          throw new Failure("unsupported modifier (" + chs + ") in substitution");
      }
    }

    private String replace(String name) {
      boolean all = peek() == '/';
      if (all) {
        next();
      }
      Result pattern;
      try {
        pattern = processStopOn('/', true);
      } catch (Failure f) {
        if (peek() == EOF) {
          throw new Failure("syntax error: missing '/' in ${}");
        }
        throw f;
      }
      Result replacement;
      try {
        replacement = processStopOn('}', true);
      } catch (Failure f) {
        if (peek() == EOF) {
          throw new Failure("syntax error: missing '}'");
        }
        throw f;
      }
      String value = env.getOrDefault(name, "");
      try {
        return ShellPattern.replace(pattern.word, value, replacement.word, all);
      } catch (IllegalArgumentException e) {
        throw new Failure(
            "invalid pattern (" + pattern.word + ") in substitution: " + e.getMessage());
      }
    }

    /** A variable name: letters, digits and _, or all digits, or one special parameter. */
    private String name() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        int ch = peek();
        if (name.length() == 0 && Character.isDigit(ch)) {
          while (peek() != EOF && Character.isDigit(peek())) {
            name.appendCodePoint(next());
          }
          return name.toString();
        }
        if (name.length() == 0 && isSpecialParameter(ch)) {
          return Character.toString(next());
        }
        if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
          break;
        }
        name.appendCodePoint(next());
      }
      return name.toString();
    }
  }

  private static String modifierText(int ch) {
    return ch < 0 ? "" : Character.toString(ch);
  }

  /** POSIX special parameters; never set in a Dockerfile. */
  private static boolean isSpecialParameter(int ch) {
    return switch (ch) {
      case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
      default -> false;
    };
  }
}
