package dev.minke.registry;

import dev.minke.image.Descriptor;
import dev.minke.image.Index;
import dev.minke.image.MediaType;
import dev.minke.image.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the manifest for a platform from an image index, as containerd's default matcher does:
 * os and architecture equal, variants equal after normalizing (arm64 without a variant is {@code
 * v8}, arm is {@code v7}, amd64 {@code v1} is none; image-index.md, "Platform Variants").
 */
final class Platforms {
  private Platforms() {}

  static Optional<Descriptor> select(Index index, Platform wanted) {
    Platform want = normalize(wanted);
    for (Descriptor entry : index.manifests()) {
      if (entry.platform() == null || !MediaType.isManifest(entry.mediaType())) {
        continue; // Attestations (unknown/unknown) and nested indexes are not images to run.
      }
      if (matches(normalize(entry.platform()), want)) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  static boolean matches(Platform have, Platform want) {
    return Objects.equals(have.os(), want.os())
        && Objects.equals(have.architecture(), want.architecture())
        && (want.variant() == null || Objects.equals(have.variant(), want.variant()));
  }

  /** Lowercase names, and the default variant made explicit (or dropped, for amd64 v1). */
  static Platform normalize(Platform platform) {
    String os = platform.os() == null ? "" : platform.os().toLowerCase(java.util.Locale.ROOT);
    String arch = platform.architecture() == null ? "" : platform.architecture().toLowerCase(java.util.Locale.ROOT);
    String variant = platform.variant() == null || platform.variant().isEmpty() ? null : platform.variant();
    switch (arch) {
      case "aarch64" -> arch = "arm64";
      case "x86_64", "x86-64" -> arch = "amd64";
      default -> { }
    }
    if (arch.equals("arm64") && variant == null) {
      variant = "v8";
    } else if (arch.equals("arm") && variant == null) {
      variant = "v7";
    } else if (arch.equals("amd64") && "v1".equals(variant)) {
      variant = null;
    }
    return new Platform(arch, os, platform.osVersion(), platform.osFeatures(), variant);
  }
}
