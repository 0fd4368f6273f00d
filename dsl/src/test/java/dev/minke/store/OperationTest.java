package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationTest {
  @TempDir Path home;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void close_withoutCommit_removesOnlyBlobsItAddedAndNobodyReferences() {
    Store store = Store.open(home);
    Digest before = store.blobs().write(bytes("there before")).digest();
    Digest added;
    Digest layer;
    Descriptor config;
    Descriptor manifest;
    try (Operation operation = store.operation()) {
      added = operation.write(bytes("added, never referenced")).digest();
      assertEquals(before, operation.write(bytes("there before")).digest());
      layer = operation.write(bytes("a layer, referenced")).digest();
      config = operation.putConfig(ImageConfig.scratch("1970-01-01T00:00:00Z"));
      manifest = operation.putManifest(
          Manifest.oci(config, List.of(Descriptor.of(MediaType.OCI_LAYER_TAR, layer, 19))));
      store.images().tag(Reference.parse("kept:1"), manifest);
      assertTrue(store.blobs().has(added));
    }
    assertFalse(store.blobs().has(added));
    assertTrue(store.blobs().has(before));
    assertTrue(store.blobs().has(layer));
    assertTrue(store.blobs().has(config.digest()));
    assertTrue(store.blobs().has(manifest.digest()));
  }

  @Test
  void close_afterCommit_keepsEverything() {
    Store store = Store.open(home);
    Digest added;
    try (Operation operation = store.operation()) {
      added = operation.write(bytes("added")).digest();
      operation.commit();
    }
    assertTrue(store.blobs().has(added));
  }

  @Test
  void close_withoutCommit_removesStreamedBlobs() throws Exception {
    Store store = Store.open(home);
    Digest streamed;
    try (Operation operation = store.operation()) {
      try (BlobWriter writer = operation.newWriter()) {
        writer.write(BlobStoreTest.randomBytes(100_000, 7));
        streamed = writer.commit().digest();
      }
      Digest expected = Digest.sha256(bytes("expected"));
      assertEquals(expected,
          operation.writeExpecting(new java.io.ByteArrayInputStream(bytes("expected")), expected, "test").digest());
    }
    assertEquals(List.of(), store.blobs().list());
    assertEquals(List.of(), TestImages.tmpFiles(store));
  }

  @Test
  void close_nestedInAnotherOperationWithoutCommit_doesNotHang() {
    Store store = Store.open(home);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (Operation outer = store.operation()) {
        try (Operation inner = store.operation()) {
          inner.write(bytes("inner, failed"));
        }
        outer.write(bytes("outer"));
        outer.commit();
      }
    });
    // The inner blob could not be removed while the outer operation ran; gc takes it.
    store.gc();
    assertEquals(List.of(), store.blobs().list());
  }
}
