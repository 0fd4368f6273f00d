package dev.minke.build.dockerfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the shared conformance data lives: {@code minke.conformance}, or a parent's shared/. */
final class Conformance {
  private Conformance() {}

  static Path dir(String sub) {
    String property = System.getProperty("minke.conformance");
    if (property != null && Files.isDirectory(Paths.get(property).resolve(sub))) {
      return Paths.get(property).resolve(sub);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/conformance").resolve(sub);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no conformance data: set -Dminke.conformance=<path to shared/conformance>");
  }
}
