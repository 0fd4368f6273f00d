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
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Small real images written straight into a store (archive, gc and fsck tests), and ways to damage a store on purpose. */
final class TestImages {
  private TestImages() {}

  static final String CREATED = "1970-01-01T00:00:00Z";

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

  /** An image in the store: what its manifest and config say. */
  record TestImage(Descriptor manifestDescriptor, Manifest manifest, ImageConfig config) {}

  /** Writes an image with one layer per list of entries and tags it (when {@code tag} is set). */
  static TestImage write(Store store, String tag, List<List<LayerEntry>> layers) {
    try (Operation operation = store.operation()) {
      ImageConfig config = ImageConfig.scratch("1970-01-01T00:00:00Z");
      List<Descriptor> layerDescriptors = new ArrayList<>();
      for (List<LayerEntry> entries : layers) {
        LayerBlob blob;
        try (BlobWriter out = operation.newWriter()) {
          blob = new LayerWriter(LayerWriterOptions.defaults().withThreads(1)).write(entries, out);
          out.commit();
        }
        layerDescriptors.add(blob.descriptor());
        config = config.plusLayer(blob.diffId(), HistoryEntry.layer("1970-01-01T00:00:00Z", "test layer"));
      }
      Descriptor configDescriptor = operation.putConfig(config);
      Manifest manifest = Manifest.oci(configDescriptor, layerDescriptors);
      Descriptor manifestDescriptor = operation.putManifest(manifest);
      if (tag != null) {
        store.images().tag(Reference.parse(tag), manifestDescriptor);
      } else {
        store.images().addUntagged(manifestDescriptor);
      }
      operation.commit();
      return new TestImage(manifestDescriptor, manifest, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One layer with one small file. */
  static List<LayerEntry> fileLayer(String path, String content) {
    return List.of(LayerEntry.file(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Flips every bit of one byte of a file, in place. */
  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0xff);
    }
  }

  /** Overwrites one byte of a file. */
  static void setByte(Path file, long offset, int value) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(value);
    }
  }

  /** What is in the store's tmp directory. */
  static List<Path> tmpFiles(Store store) throws IOException {
    Path tmp = store.home().resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.toList();
    }
  }
}
