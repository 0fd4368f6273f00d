package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The os/architecture/variant an image runs on, as in an image index entry or a config. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(
    String architecture,
    String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    String variant) {

  public Platform {
    osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
  }

  public static Platform of(String os, String architecture) {
    return new Platform(architecture, os, null, null, null);
  }

  /** linux and the host's architecture in Go's names ({@code amd64}, {@code arm64}, …). */
  public static Platform host() {
    return of("linux", goArch(System.getProperty("os.arch")));
  }

  /** Maps Java's {@code os.arch} to the GOARCH name images use. */
  static String goArch(String javaArch) {
    return switch (javaArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "arm" -> "arm";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> javaArch;
    };
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
