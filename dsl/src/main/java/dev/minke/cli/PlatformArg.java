package dev.minke.cli;

import dev.minke.image.Platform;

/** Reads {@code --platform os/arch[/variant]}. */
final class PlatformArg {
  private PlatformArg() {}

  static Platform parse(String text) throws UsageException {
    String[] parts = text.split("/");
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new UsageException("--platform must be os/arch[/variant], e.g. linux/arm64, not " + text);
    }
    return new Platform(parts[1], parts[0], null, null, parts.length == 3 ? parts[2] : null);
  }
}
