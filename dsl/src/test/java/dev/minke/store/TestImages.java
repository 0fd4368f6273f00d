package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.Manifest;
import dev.minke.registry.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small images made by hand in a store, for archive tests. */
final class TestImages {
  static final String CREATED = "1970-01-01T00:00:00Z";

  private TestImages() {}

  /** A two-layer image: {@code /etc/hello}, then {@code /app/run.sh}. */
  static Descriptor twoLayers(Store store, Reference name) {
    addLayer(store, null, name, List.of(LayerEntry.directory("etc"),
        LayerEntry.file("etc/hello", "hello\n".getBytes(StandardCharsets.UTF_8))));
    return addLayer(store, name, name, List.of(LayerEntry.directory("app"),
        LayerEntry.file("app/run.sh", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)).withMode(0755)));
  }

  /** {@code base} (or scratch when null) plus one gzip layer of {@code entries}, tagged {@code name}. */
  static Descriptor addLayer(Store store, Reference base, Reference name, List<LayerEntry> entries) {
    try (Operation operation = store.operation()) {
      ImageConfig config = ImageConfig.scratch(CREATED);
      List<Descriptor> layers = new ArrayList<>();
      if (base != null) {
        Manifest baseManifest = store.manifest(store.require(base).digest());
        config = store.config(baseManifest);
        layers.addAll(baseManifest.layers());
      }
      LayerBlob blob;
      try (BlobWriter out = operation.newWriter()) {
        blob = new LayerWriter(LayerWriterOptions.defaults()).write(entries, out);
        out.commit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      layers.add(blob.descriptor());
      config = config.plusLayer(blob.diffId(), HistoryEntry.layer(CREATED, "COPY test files /"));
      Descriptor configDescriptor = operation.putConfig(config);
      Descriptor manifest = operation.putManifest(Manifest.oci(configDescriptor, layers))
          .withPlatform(config.platform());
      store.images().tag(name, manifest);
      operation.commit();
      return manifest;
    }
  }
}
