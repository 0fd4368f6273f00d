package dev.minke.registry;

import static dev.minke.registry.ReferenceGrammar.isDigest;
import static dev.minke.registry.ReferenceGrammar.isDomain;
import static dev.minke.registry.ReferenceGrammar.isPathComponent;
import static dev.minke.registry.ReferenceGrammar.isTag;

import java.util.Locale;

/**
 * Builds the {@link InvalidReferenceException} for each way a reference can be wrong.
 *
 * <p>Go's parser answers "invalid reference format" for most faults; {@link #diagnose} takes the
 * input apart the way the grammar does so that the message can name the part that is wrong.
 */
final class ReferenceErrors {
  static final String REPOSITORY_RULE = "[a-z0-9] separated by ., _, __ or -";
  static final String REGISTRY_RULE =
      "a host name (letters, digits, inner -, joined by .), an IPv4 address or an [IPv6] address,"
          + " with an optional :port";
  static final String TAG_RULE = "1 to 128 of [A-Za-z0-9_.-], not starting with . or -";

  private ReferenceErrors() {}

  private static String quote(String value) {
    return "\"" + InvalidReferenceException.shorten(value) + "\"";
  }

  static InvalidReferenceException empty(String input) {
    return new InvalidReferenceException(input, "name", "the reference is empty");
  }

  static InvalidReferenceException uppercase(String input) {
    return new InvalidReferenceException(
        input, "repository", "repository must be lowercase (" + REPOSITORY_RULE + ")");
  }

  static InvalidReferenceException tooLong(String input, int nameLength) {
    return new InvalidReferenceException(
        input,
        "name",
        "the name (registry and repository) has "
            + nameLength
            + " characters; at most "
            + ReferenceGrammar.NAME_TOTAL_LENGTH_MAX
            + " are allowed");
  }

  static InvalidReferenceException identifier(String input) {
    return new InvalidReferenceException(
        input,
        "repository",
        "a 64-character hex string is an image ID and cannot be a repository name",
        "refer to an image by ID as sha256:<64 hex>, or give the repository a name");
  }

  static InvalidReferenceException unsupportedDigest(String input, String algorithm) {
    return new InvalidReferenceException(
        input,
        "digest",
        "digest algorithm " + quote(algorithm) + " is not supported: use sha256 or sha512",
        "write the digest as sha256:<64 lowercase hex>");
  }

  static InvalidReferenceException badDigest(String input, String digest, String problem) {
    return new InvalidReferenceException(
        input,
        "digest",
        "digest " + quote(digest) + " " + problem,
        "write the digest as sha256:<64 lowercase hex>");
  }

  static InvalidReferenceException badTag(String input, String tag) {
    return new InvalidReferenceException(
        input, "tag", "tag " + quote(tag) + " must be " + TAG_RULE);
  }

  /** Explains an input that the reference pattern does not match. */
  static InvalidReferenceException diagnose(String input) {
    String rest = input;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!isDigest(digest)) {
        return badDigest(input, digest, "must be algorithm:hex with at least 32 hex digits");
      }
    }
    if (rest.indexOf('/') < 0 && isDomain(rest) && rest.contains("[")) {
      return new InvalidReferenceException(
          input, "repository", quote(rest) + " is a registry; a repository must follow it");
    }
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      String tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!isTag(tag)) {
        return badTag(input, tag);
      }
    }
    return diagnoseName(input, rest);
  }

  private static InvalidReferenceException diagnoseName(String input, String name) {
    if (name.isEmpty()) {
      return new InvalidReferenceException(input, "repository", "the repository name is missing");
    }
    String[] components = name.split("/", -1);
    int first = 0;
    if (components.length > 1 && isDomain(components[0])) {
      first = 1;
    } else if (components.length > 1
        && !isPathComponent(components[0])
        && components[0].matches(".*[.:\\[].*")) {
      return new InvalidReferenceException(
          input, "registry", "registry " + quote(components[0]) + " must be " + REGISTRY_RULE);
    }
    for (int i = first; i < components.length; i++) {
      String component = components[i];
      if (component.isEmpty()) {
        return new InvalidReferenceException(
            input,
            "repository",
            "repository has an empty component (a leading, trailing or" + " double /)");
      }
      if (!isPathComponent(component)) {
        boolean onlyCase = isPathComponent(component.toLowerCase(Locale.ROOT));
        return onlyCase
            ? uppercase(input)
            : new InvalidReferenceException(
                input,
                "repository",
                "repository component " + quote(component) + " must be " + REPOSITORY_RULE);
      }
    }
    return new InvalidReferenceException(input, "name", "it does not follow the reference grammar");
  }
}
