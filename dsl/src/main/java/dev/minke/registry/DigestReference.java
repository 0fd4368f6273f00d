package dev.minke.registry;

import dev.minke.image.Digest;
import java.util.Objects;

/** A reference that is only a digest, such as an image ID: {@code sha256:<64 hex>}. */
public record DigestReference(Digest digest) implements AnyReference {
  public DigestReference {
    Objects.requireNonNull(digest, "digest");
  }

  @Override
  public String familiar() {
    return digest.toString();
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
