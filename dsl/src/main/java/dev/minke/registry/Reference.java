package dev.minke.registry;

import static dev.minke.registry.ReferenceGrammar.NAME_TOTAL_LENGTH_MAX;

import dev.minke.image.Digest;
import java.util.Objects;

/**
 * An image reference, {@code [registry/]repository[:tag][@digest]}, as Docker reads it.
 *
 * <p>{@link #parse} gives what {@code docker pull} uses: {@code busybox} becomes {@code
 * docker.io/library/busybox:latest}. The other factories mirror the rest of {@code
 * distribution/reference} for callers (and tests) that need Docker's exact behaviour. The registry
 * is empty only in a reference read by {@link #parseAsWritten}; tag and digest may be null.
 */
public record Reference(String registry, String repository, String tag, Digest digest)
    implements AnyReference {
  private static final String DEFAULT_TAG = "latest";
  private static final String OFFICIAL_PREFIX = "library/";

  public Reference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    String text = format(registry, repository, tag, digest);
    if (!registry.isEmpty() && !ReferenceGrammar.isDomain(registry)) {
      throw new InvalidReferenceException(
          text,
          "registry",
          "registry \"" + registry + "\" must be " + ReferenceErrors.REGISTRY_RULE);
    }
    if (!ReferenceGrammar.isPath(repository)) {
      throw new InvalidReferenceException(
          text,
          "repository",
          "repository \""
              + repository
              + "\" must be components of "
              + ReferenceErrors.REPOSITORY_RULE
              + " joined by /");
    }
    int nameLength =
        registry.isEmpty() ? repository.length() : registry.length() + 1 + repository.length();
    if (nameLength > NAME_TOTAL_LENGTH_MAX) {
      throw ReferenceErrors.tooLong(text, nameLength);
    }
    if (tag != null && !ReferenceGrammar.isTag(tag)) {
      throw ReferenceErrors.badTag(text, tag);
    }
  }

  /**
   * Reads a reference the way {@code docker pull} does (Go's {@code ParseDockerRef}).
   *
   * <p>Normalized, with tag {@code latest} when neither tag nor digest is given; when both are
   * given only the digest is kept.
   */
  public static Reference parse(String text) {
    return ReferenceParser.dockerRef(text);
  }

  /** Normalizes without adding a default tag (Go's {@code ParseNormalizedNamed}). */
  public static Reference parseNormalizedNamed(String text) {
    return ReferenceParser.normalizedNamed(text);
  }

  /**
   * Reads a name, a bare image ID or a digest (Go's {@code ParseAnyReference}).
   *
   * <p>A 64-hex string is an image ID, {@code sha256:<hex>} a digest; anything else is normalized
   * as by {@link #parseNormalizedNamed}.
   */
  public static AnyReference parseAnyReference(String text) {
    return ReferenceParser.any(text);
  }

  /**
   * Checks the grammar only (Go's {@code reference.Parse}): no default registry, no {@code
   * library/}, no default tag, and the first component is a registry whenever it can be one.
   */
  public static Reference parseAsWritten(String text) {
    return ReferenceParser.asWritten(text);
  }

  /** Registry and repository, e.g. {@code docker.io/library/busybox}. */
  public String name() {
    return registry.isEmpty() ? repository : registry + "/" + repository;
  }

  /** The host to send API calls to: Docker Hub's API lives at {@code registry-1.docker.io}. */
  public String registryHost() {
    return registry.equals(ReferenceParser.DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /**
   * The name as Docker prints it: no {@code docker.io/}, no {@code library/} (Go's FamiliarName).
   */
  public String familiarName() {
    if (!registry.equals(ReferenceParser.DOCKER_HUB)) {
      return name();
    }
    // Only strip library/ when one component remains; library/a/b would read as namespace a.
    if (repository.startsWith(OFFICIAL_PREFIX)
        && repository.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
      return repository.substring(OFFICIAL_PREFIX.length());
    }
    return repository;
  }

  /** The whole reference as Docker prints it, e.g. {@code busybox:latest} (Go's FamiliarString). */
  @Override
  public String familiar() {
    return format("", familiarName(), tag, digest);
  }

  /** This reference with tag {@code latest} if it has neither tag nor digest (Go's TagNameOnly). */
  public Reference tagNameOnly() {
    return tag == null && digest == null ? withTag(DEFAULT_TAG) : this;
  }

  /** A copy with the given tag; the digest, if any, is kept. */
  public Reference withTag(String newTag) {
    Objects.requireNonNull(newTag, "tag");
    return new Reference(registry, repository, newTag, digest);
  }

  /** A copy with the given digest; the tag, if any, is kept. */
  public Reference withDigest(Digest newDigest) {
    Objects.requireNonNull(newDigest, "digest");
    return new Reference(registry, repository, tag, newDigest);
  }

  /** The full form, e.g. {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return format(registry, repository, tag, digest);
  }

  private static String format(String registry, String repository, String tag, Digest digest) {
    StringBuilder text = new StringBuilder();
    if (registry != null && !registry.isEmpty()) {
      text.append(registry).append('/');
    }
    text.append(repository);
    if (tag != null) {
      text.append(':').append(tag);
    }
    if (digest != null) {
      text.append('@').append(digest);
    }
    return text.toString();
  }
}
