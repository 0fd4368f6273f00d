package dev.minke.registry;

import dev.minke.image.Digest;
import java.util.List;

/** What the registry sent is not what was asked for: its digest or size is wrong. */
public class RegistryContentException extends RegistryException {
  private final Digest expected;

  public RegistryContentException(String registry, String repository, Digest expected, String problem) {
    super(registry, repository, 0, List.of(),
        "content " + expected + " from " + where(registry, repository) + " is not what was asked for: " + problem,
        "the registry or a proxy on the way damaged it; pull again, and report it to the registry if it persists",
        null);
    this.expected = expected;
  }

  public Digest expected() {
    return expected;
  }

  @Override
  public boolean temporary() {
    return false;
  }
}
