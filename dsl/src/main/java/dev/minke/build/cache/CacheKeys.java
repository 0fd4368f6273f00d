package dev.minke.build.cache;

import dev.minke.image.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.SortedMap;

/**
 * Build cache keys, BuildKit's way: a root key for the base image (its manifest digest, plus the
 * build options every layer depends on), and for each step a digest of its parent's key, its
 * kind and the named inputs it reads. The inputs are the whole key: a step that reads a value
 * must put it in its inputs.
 */
public final class CacheKeys {
  /** Bump when the meaning of a key changes, so old entries simply stop matching. */
  static final String VERSION = "minke-build-cache-v1";

  private CacheKeys() {}

  /**
   * The key of the image a stage starts from: {@code baseManifest} (null for scratch), and the
   * options that change every layer and history entry built on it.
   */
  public static Digest root(Digest baseManifest, long sourceDateEpochSeconds, String compression) {
    MessageDigest sha = Digest.newSha256();
    field(sha, "version", VERSION);
    field(sha, "base", baseManifest == null ? "scratch" : baseManifest.toString());
    field(sha, "source-date-epoch", Long.toString(sourceDateEpochSeconds));
    field(sha, "compression", compression);
    return Digest.ofSha256(sha.digest());
  }

  /** The key of a step: its parent's key, its kind ({@code RUN}, {@code COPY}, {@code ENV}…) and inputs. */
  public static Digest child(Digest parent, String kind, SortedMap<String, String> inputs) {
    MessageDigest sha = Digest.newSha256();
    field(sha, "version", VERSION);
    field(sha, "parent", parent.toString());
    field(sha, "kind", kind);
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      field(sha, input.getKey(), input.getValue());
    }
    return Digest.ofSha256(sha.digest());
  }

  /** Length-prefixed, so that no two different input maps hash the same bytes. */
  private static void field(MessageDigest sha, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    sha.update((n.length + ":").getBytes(StandardCharsets.US_ASCII));
    sha.update(n);
    sha.update((v.length + (value == null ? "!" : ":")).getBytes(StandardCharsets.US_ASCII));
    sha.update(v);
  }
}
