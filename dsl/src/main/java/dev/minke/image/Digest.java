package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:0123…}: the true name of a blob.
 *
 * <p>Only {@code sha256} and {@code sha512} are accepted, with lowercase hex of the right length,
 * as the OCI image-spec requires of what registries and layouts hold.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    Pattern pattern =
        switch (algorithm) {
          case "sha256" -> SHA256;
          case "sha512" -> SHA512;
          default -> throw new IllegalArgumentException(
              "unsupported digest algorithm \"" + algorithm + "\": use sha256 or sha512");
        };
    if (!pattern.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "invalid " + algorithm + " digest \"" + hex + "\": expected lowercase hex of length "
              + (algorithm.equals("sha256") ? 64 : 128));
    }
  }

  /** Parses {@code algorithm:hex}; throws {@link IllegalArgumentException} naming the fault. */
  @JsonCreator
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "invalid digest \"" + text + "\": expected algorithm:hex, e.g. sha256:<64 hex digits>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of the given bytes. */
  public static Digest sha256(byte[] bytes) {
    return ofSha256(newSha256().digest(bytes));
  }

  /** The sha256 digest of the UTF-8 bytes of the given text. */
  public static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps the raw 32 bytes a sha256 {@link MessageDigest} returned. */
  public static Digest ofSha256(byte[] rawDigest) {
    return new Digest("sha256", HexFormat.of().formatHex(rawDigest));
  }

  /** A fresh sha256 hasher. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** A new hasher of this digest's algorithm. */
  public MessageDigest newHasher() {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has " + algorithm, e);
    }
  }

  /** The first 12 hex digits, as Docker shows image IDs. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }
}
