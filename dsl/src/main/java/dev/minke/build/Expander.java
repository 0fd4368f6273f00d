package dev.minke.build;

import java.util.Map;

/**
 * Dockerfile variable substitution in instruction arguments: {@code $NAME}, {@code ${NAME}},
 * {@code ${NAME:-word}}, {@code ${NAME-word}}, {@code ${NAME:+word}}, {@code ${NAME+word}}, and
 * {@code \$} for a literal dollar. Unset variables expand to the empty string, as in Docker.
 */
final class Expander {
  private final Map<String, String> variables;
  private final String step;

  Expander(Map<String, String> variables, String step) {
    this.variables = variables;
    this.step = step;
  }

  String expand(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        i = expandBraced(text, i + 2, out);
      } else if (c == '$' && i + 1 < text.length() && isNameStart(text.charAt(i + 1))) {
        int end = i + 1;
        while (end < text.length() && isNamePart(text.charAt(end))) {
          end++;
        }
        out.append(variables.getOrDefault(text.substring(i + 1, end), ""));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Expands {@code ${…}} starting after the brace; returns the index after the closing brace. */
  private int expandBraced(String text, int start, StringBuilder out) {
    int close = findClose(text, start);
    String body = text.substring(start, close);
    int nameEnd = 0;
    while (nameEnd < body.length() && isNamePart(body.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = body.substring(0, nameEnd);
    if (name.isEmpty() || !isNameStart(name.charAt(0))) {
      throw bad(text, "\"${" + body + "}\" does not start with a variable name");
    }
    String rest = body.substring(nameEnd);
    String value = variables.get(name);
    boolean colon = rest.startsWith(":");
    String op = colon ? rest.substring(1) : rest;
    boolean unset = value == null || (colon && value.isEmpty());
    if (op.isEmpty() && !colon) {
      out.append(value == null ? "" : value);
    } else if (op.startsWith("-")) {
      out.append(unset ? expand(op.substring(1)) : value);
    } else if (op.startsWith("+")) {
      out.append(unset ? "" : expand(op.substring(1)));
    } else {
      throw bad(text, "unsupported modifier in \"${" + body + "}\": use ${NAME:-default} or ${NAME:+alt}");
    }
    return close + 1;
  }

  private int findClose(String text, int start) {
    int depth = 1;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw bad(text, "\"${\" has no closing \"}\"");
  }

  private BuildInputException bad(String text, String problem) {
    return new BuildInputException(step, "cannot expand \"" + text + "\": " + problem,
        "write a literal dollar sign as \\$");
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
