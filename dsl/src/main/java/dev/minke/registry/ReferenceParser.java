package dev.minke.registry;

import static dev.minke.registry.ReferenceGrammar.NAME_TOTAL_LENGTH_MAX;

import dev.minke.image.Digest;
import dev.minke.registry.ReferenceGrammar.Parts;
import java.util.Locale;

/**
 * Docker's four ways of reading a reference, after {@code distribution/reference}: {@code Parse},
 * {@code ParseNormalizedNamed}, {@code ParseDockerRef} and {@code ParseAnyReference}.
 */
final class ReferenceParser {
  static final String DOCKER_HUB = "docker.io";
  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";

  private ReferenceParser() {}

  /** The grammar alone: no default registry, no {@code library/}, no default tag. */
  static Reference asWritten(String input) {
    return asWritten(input, input);
  }

  /** Docker's normalization: {@code busybox} becomes {@code docker.io/library/busybox}. */
  static Reference normalizedNamed(String input) {
    if (input.isEmpty()) {
      throw ReferenceErrors.empty(input);
    }
    if (ReferenceGrammar.isIdentifier(input)) {
      throw ReferenceErrors.identifier(input);
    }
    int slash = input.indexOf('/');
    String domain = DOCKER_HUB;
    String remainder = input;
    if (slash >= 0 && looksLikeDomain(input.substring(0, slash))) {
      domain = input.substring(0, slash);
      remainder = input.substring(slash + 1);
    }
    if (domain.equals(LEGACY_DOCKER_HUB)) {
      domain = DOCKER_HUB;
    }
    // Only one-component Hub names are official images: "foo/bar" stays in the foo namespace.
    if (domain.equals(DOCKER_HUB) && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_PREFIX + remainder;
    }
    int colon = remainder.indexOf(':');
    String remoteName = colon < 0 ? remainder : remainder.substring(0, colon);
    if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
      throw ReferenceErrors.uppercase(input);
    }
    return asWritten(domain + "/" + remainder, input);
  }

  /** What {@code docker pull} uses: normalized, {@code latest} by default, digest over tag. */
  static Reference dockerRef(String input) {
    Reference named = normalizedNamed(input);
    if (named.tag() != null && named.digest() != null) {
      // The digest pins the content; a tag next to it would only be a claim to check.
      return new Reference(named.registry(), named.repository(), null, named.digest());
    }
    return named.tagNameOnly();
  }

  /** A bare image ID or digest, else a normalized name. */
  static AnyReference any(String input) {
    if (ReferenceGrammar.isIdentifier(input)) {
      return new DigestReference(new Digest("sha256", input));
    }
    try {
      return new DigestReference(Digest.parse(input));
    } catch (IllegalArgumentException notADigest) {
      return normalizedNamed(input);
    }
  }

  /**
   * Parses {@code text}, reporting faults against {@code input}, the text the user typed (they
   * differ when {@code text} is the normalized form of {@code input}).
   */
  private static Reference asWritten(String text, String input) {
    Parts parts = ReferenceGrammar.split(text);
    if (parts == null) {
      if (text.isEmpty()) {
        throw ReferenceErrors.empty(input);
      }
      // Same order as distribution: an input that only fails on case gets the case message.
      if (ReferenceGrammar.split(text.toLowerCase(Locale.ROOT)) != null) {
        throw ReferenceErrors.uppercase(input);
      }
      throw ReferenceErrors.diagnose(input);
    }
    if (parts.name().length() > NAME_TOTAL_LENGTH_MAX) {
      throw ReferenceErrors.tooLong(input, parts.name().length());
    }
    Digest digest = parts.digest() == null ? null : digest(input, parts.digest());
    return new Reference(parts.domain(), parts.path(), parts.tag(), digest);
  }

  /**
   * Whether the first component of a name is a registry rather than a Hub namespace.
   *
   * <p>A dot or a port marks a host, {@code localhost} is one, and Hub namespaces are lowercase, so
   * an uppercase letter means a host too.
   */
  private static boolean looksLikeDomain(String component) {
    return component.contains(".")
        || component.contains(":")
        || component.equals("localhost")
        || !component.toLowerCase(Locale.ROOT).equals(component);
  }

  /**
   * Validates a digest the grammar has already matched, as go-digest does.
   *
   * <p>Only sha256 and sha512 are accepted, with lowercase hex of their exact length: these are the
   * algorithms the OCI image-spec registers and {@link Digest} holds.
   */
  private static Digest digest(String input, String text) {
    int colon = text.indexOf(':');
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    int length;
    switch (algorithm) {
      case "sha256" -> length = 64;
      case "sha512" -> length = 128;
      default -> throw ReferenceErrors.unsupportedDigest(input, algorithm);
    }
    if (hex.length() != length) {
      throw ReferenceErrors.badDigest(
          input, text, "has " + hex.length() + " hex digits; " + algorithm + " needs " + length);
    }
    if (!hex.equals(hex.toLowerCase(Locale.ROOT))) {
      throw ReferenceErrors.badDigest(input, text, "must use lowercase hex digits");
    }
    return new Digest(algorithm, hex);
  }
}
