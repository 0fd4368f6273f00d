package dev.minke.registry;

import dev.minke.error.MinkeException;
import dev.minke.image.Platform;
import java.util.List;

/** An image index has no manifest for the platform asked for. */
public class PlatformNotFoundException extends MinkeException {
  private final Reference reference;
  private final Platform wanted;
  private final List<Platform> available;

  public PlatformNotFoundException(Reference reference, Platform wanted, List<Platform> available) {
    super("image " + reference + " has no manifest for " + wanted,
        available.isEmpty() ? "the index lists no platforms"
            : "it is published for " + String.join(", ", available.stream().map(Platform::toString).toList())
                + "; pull one of those with PullOptions.withPlatform");
    this.reference = reference;
    this.wanted = wanted;
    this.available = List.copyOf(available);
  }

  public Reference reference() {
    return reference;
  }

  public Platform wanted() {
    return wanted;
  }

  public List<Platform> available() {
    return available;
  }
}
