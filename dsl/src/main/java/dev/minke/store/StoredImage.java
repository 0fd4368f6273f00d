package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.registry.Reference;
import java.util.Optional;

/**
 * One entry of the store's {@code index.json}: a manifest and the reference it is tagged with,
 * or none for an untagged (dangling) image.
 */
public record StoredImage(Optional<Reference> reference, Descriptor manifest) {
  public StoredImage {
    reference = reference == null ? Optional.empty() : reference;
  }
}
