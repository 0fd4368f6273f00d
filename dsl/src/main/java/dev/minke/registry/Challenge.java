package dev.minke.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235): a scheme ({@code bearer}, {@code basic}) and
 * its parameters, e.g. {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io"}.
 */
record Challenge(String scheme, Map<String, String> params) {
  Challenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  String param(String name) {
    return params.get(name);
  }

  /**
   * Parses the first challenge of a header value; empty when there is none. Parameter names are
   * lowercased; values may be quoted strings (with backslash escapes) or bare tokens.
   */
  static Optional<Challenge> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String text = header.strip();
    int i = 0;
    while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != ',') {
      i++;
    }
    String scheme = text.substring(0, i);
    if (scheme.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    while (i < text.length()) {
      i = skip(text, i, " \t,");
      int nameStart = i;
      while (i < text.length() && text.charAt(i) != '=' && text.charAt(i) != ','
          && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      String name = text.substring(nameStart, i).toLowerCase(Locale.ROOT);
      i = skip(text, i, " \t");
      if (i >= text.length() || text.charAt(i) != '=') {
        // A bare token after the parameters starts the next challenge: only the first is read.
        break;
      }
      i = skip(text, i + 1, " \t");
      StringBuilder value = new StringBuilder();
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          if (text.charAt(i) == '\\' && i + 1 < text.length()) {
            i++;
          }
          value.append(text.charAt(i++));
        }
        i++; // The closing quote (or the end of an unterminated value).
      } else {
        while (i < text.length() && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
          value.append(text.charAt(i++));
        }
      }
      if (!name.isEmpty()) {
        params.putIfAbsent(name, value.toString());
      }
    }
    return Optional.of(new Challenge(scheme, params));
  }

  private static int skip(String text, int i, String chars) {
    while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }
}
