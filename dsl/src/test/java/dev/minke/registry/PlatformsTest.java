package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.MediaType;
import dev.minke.image.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformsTest {
  private static Descriptor entry(String name, Platform platform) {
    return Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(name), 100).withPlatform(platform);
  }

  private static Platform p(String os, String arch, String variant) {
    return new Platform(arch, os, null, null, variant);
  }

  private static final Index INDEX = Index.oci(List.of(
      Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256("attestation"), 1).withPlatform(p("unknown", "unknown", null)),
      entry("amd64", p("linux", "amd64", null)),
      entry("armv6", p("linux", "arm", "v6")),
      entry("armv7", p("linux", "arm", "v7")),
      entry("arm64", p("linux", "arm64", "v8")),
      entry("windows", p("windows", "amd64", null))));

  private static String pick(Platform wanted) {
    Digest digest = Platforms.select(INDEX, wanted).orElseThrow().digest();
    for (String name : List.of("amd64", "armv6", "armv7", "arm64", "windows")) {
      if (Digest.sha256(name).equals(digest)) {
        return name;
      }
    }
    return "?";
  }

  @Test
  void select_osAndArchitecture() {
    assertEquals("amd64", pick(Platform.of("linux", "amd64")));
    assertEquals("windows", pick(Platform.of("windows", "amd64")));
  }

  @Test
  void select_arm64WithoutVariant_meansV8_bothWays() {
    assertEquals("arm64", pick(Platform.of("linux", "arm64")));
    Index noVariant = Index.oci(List.of(entry("arm64", p("linux", "arm64", null))));
    assertTrue(Platforms.select(noVariant, p("linux", "arm64", "v8")).isPresent());
    assertTrue(Platforms.select(noVariant, p("linux", "arm64", "v7")).isEmpty());
  }

  @Test
  void select_armWithoutVariant_meansV7() {
    assertEquals("armv7", pick(Platform.of("linux", "arm")));
    assertEquals("armv6", pick(p("linux", "arm", "v6")));
  }

  @Test
  void select_hostPlatform() {
    Platform host = Platform.host();
    assertEquals("linux", host.os());
    if (host.architecture().equals("amd64")) {
      assertEquals("amd64", pick(host));
    }
  }

  @Test
  void select_skipsNestedIndexes_andEntriesWithoutPlatform() {
    Index odd = Index.oci(List.of(
        Descriptor.of(MediaType.OCI_INDEX, Digest.sha256("nested"), 1).withPlatform(p("linux", "amd64", null)),
        Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256("none"), 1)));
    assertTrue(Platforms.select(odd, Platform.of("linux", "amd64")).isEmpty());
  }

  @Test
  void selectPlatform_missing_listsWhatThereIs() {
    PlatformNotFoundException e = assertThrows(PlatformNotFoundException.class,
        () -> RegistryClient.selectPlatform(Reference.parse("busybox"), INDEX, Platform.of("linux", "s390x")));
    assertTrue(e.getMessage().contains("linux/s390x"), e.getMessage());
    assertTrue(e.hint().contains("linux/arm64/v8"), e.hint());
  }
}
