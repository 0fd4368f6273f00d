package dev.minke.registry;

import java.util.regex.Pattern;

/**
 * The {@code distribution/reference} grammar, as predicates over the parts of a reference.
 *
 * <pre>
 * reference  := name [ ":" tag ] [ "@" digest ]
 * name       := [ domain "/" ] path
 * domain     := host [ ":" port ]      host: DNS name, IPv4, or "[" IPv6 "]"
 * path       := component ( "/" component )*
 * component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 * tag        := [\w][\w.-]{0,127}
 * digest     := algorithm ":" [0-9a-fA-F]{32,}
 * algorithm  := [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )*
 * </pre>
 *
 * <p>Distribution matches one big regular expression. Here the separators are found by hand and
 * each piece is checked alone, which accepts exactly the same texts (no piece can contain the
 * separator that ends it) and keeps Java's regex engine, which recurses once per repeated group,
 * away from long inputs.
 */
final class ReferenceGrammar {
  /** Longest name (domain and path) a reference may have, in characters. */
  static final int NAME_TOTAL_LENGTH_MAX = 255;

  private static final Pattern DOMAIN_COMPONENT =
      Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+\\]");
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
  private static final Pattern ALGORITHM_COMPONENT = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{32,}");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

  /** The four parts of a reference that matched the grammar; domain is "" when absent. */
  record Parts(String domain, String path, String tag, String digest) {
    String name() {
      return domain.isEmpty() ? path : domain + "/" + path;
    }
  }

  private ReferenceGrammar() {}

  /** Splits a reference into its parts, or returns null if it does not match the grammar. */
  static Parts split(String text) {
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!isDigest(digest)) {
        return null;
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!isTag(tag)) {
        return null;
      }
    }
    // Like the optional group in distribution's pattern: a domain if the first component can be
    // one.
    int slash = rest.indexOf('/');
    if (slash >= 0 && isDomain(rest.substring(0, slash)) && isPath(rest.substring(slash + 1))) {
      return new Parts(rest.substring(0, slash), rest.substring(slash + 1), tag, digest);
    }
    return isPath(rest) ? new Parts("", rest, tag, digest) : null;
  }

  /** {@code host[:port]}: a DNS name or IPv4 address, or an IPv6 address in brackets. */
  static boolean isDomain(String text) {
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        return false;
      }
      host = text.substring(0, close + 1);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          return false;
        }
        port = text.substring(close + 2);
      }
      return IPV6.matcher(host).matches() && (port == null || PORT.matcher(port).matches());
    }
    int colon = text.indexOf(':');
    if (colon >= 0) {
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    for (String component : host.split("\\.", -1)) {
      if (!DOMAIN_COMPONENT.matcher(component).matches()) {
        return false;
      }
    }
    return port == null || PORT.matcher(port).matches();
  }

  /** Path components joined by single slashes. */
  static boolean isPath(String text) {
    for (String component : text.split("/", -1)) {
      if (!isPathComponent(component)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs of {@code [a-z0-9]} joined by {@code .}, {@code _}, {@code __} or any number of {@code -}.
   */
  static boolean isPathComponent(String text) {
    int i = 0;
    int n = text.length();
    while (true) {
      int runStart = i;
      while (i < n && isLowerAlnum(text.charAt(i))) {
        i++;
      }
      if (i == runStart) {
        return false; // empty, or starts or ends with a separator, or two separators meet
      }
      if (i == n) {
        return true;
      }
      int sepStart = i;
      while (i < n && !isLowerAlnum(text.charAt(i))) {
        i++;
      }
      if (!isSeparator(text.substring(sepStart, i))) {
        return false;
      }
    }
  }

  static boolean isTag(String text) {
    return TAG.matcher(text).matches();
  }

  /** {@code algorithm:hex}, with any registered-looking algorithm and at least 32 hex digits. */
  static boolean isDigest(String text) {
    int colon = text.indexOf(':');
    if (colon < 0 || !HEX.matcher(text.substring(colon + 1)).matches()) {
      return false;
    }
    String algorithm = text.substring(0, colon);
    // Split on the separators: each piece must be a letter followed by letters or digits.
    for (String component : algorithm.split("[-_+.]", -1)) {
      if (!ALGORITHM_COMPONENT.matcher(component).matches()) {
        return false;
      }
    }
    return true;
  }

  /** A 64-hex image ID, which Docker refuses as a repository name. */
  static boolean isIdentifier(String text) {
    return IDENTIFIER.matcher(text).matches();
  }

  private static boolean isSeparator(String text) {
    return text.equals(".")
        || text.equals("_")
        || text.equals("__")
        || text.chars().allMatch(c -> c == '-');
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
