package dev.minke.registry;

import java.util.List;

/** The registry has no manifest under the reference: the image or tag does not exist there. */
public class ManifestUnknownException extends RegistryException {
  private final Reference reference;

  public ManifestUnknownException(Reference reference, String registryHost, int status, List<String> codes) {
    super(registryHost, reference.repository(), status, codes,
        "manifest for " + reference + " not found: the registry has no such image or tag",
        "check the name and the tag; `minke pull` needs the image to exist in the registry", null);
    this.reference = reference;
  }

  /** The reference that named nothing. */
  public Reference reference() {
    return reference;
  }

  @Override
  public boolean temporary() {
    return false;
  }
}
