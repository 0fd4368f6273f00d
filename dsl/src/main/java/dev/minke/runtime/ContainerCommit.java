package dev.minke.runtime;

import dev.minke.image.ContainerConfig;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.Manifest;
import dev.minke.image.OverlayUpperDir;
import dev.minke.image.OverlayUpperOptions;
import dev.minke.registry.Reference;
import dev.minke.store.BlobWriter;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code docker commit}: a container's image plus one layer made from its overlay upper
 * directory, with the image's config (and optionally a new CMD) and a history entry naming the
 * container's command. Times are {@code SOURCE_DATE_EPOCH} (default 0), so the same changes on
 * the same image give the same digest.
 */
final class ContainerCommit {
  private ContainerCommit() {}

  static Descriptor commit(Store store, Path upperDir, ContainerRecord record, Reference tag, String comment,
      List<String> newCmd) {
    Manifest base = store.manifest(Digest.parse(record.imageDigest()));
    ImageConfig image = store.config(base);
    long epochSeconds = LayerWriterOptions.sourceDateEpoch();
    String created = Instant.ofEpochSecond(epochSeconds).toString();
    try (Operation operation = store.operation()) {
      List<Path> lowers = new ArrayList<>(store.snapshots().prepare(base, image));
      Collections.reverse(lowers); // Topmost first, as overlayfs lists them.
      List<LayerEntry> entries = MountPointStubs.entriesWithoutStubs(
          OverlayUpperDir.entries(upperDir, OverlayUpperOptions.defaults()), upperDir, lowers);
      LayerBlob blob;
      try (BlobWriter out = operation.newWriter()) {
        blob = new LayerWriter(LayerWriterOptions.defaults().withMtimeEpochSeconds(epochSeconds)).write(entries, out);
        out.commit();
      }
      ContainerConfig config = newCmd == null ? image.config() : image.config().withCmd(newCmd);
      HistoryEntry step = new HistoryEntry(created, null, String.join(" ", record.command()),
          comment == null || comment.isEmpty() ? null : comment, null);
      ImageConfig committed = image.plusLayer(blob.diffId(), step).withConfig(config).withCreated(created);
      List<Descriptor> layers = new ArrayList<>(base.layers());
      layers.add(blob.descriptor());
      Descriptor configDescriptor = operation.putConfig(committed);
      Descriptor manifest = operation.putManifest(Manifest.oci(configDescriptor, layers))
          .withPlatform(committed.platform());
      if (tag != null) {
        store.images().tag(tag, manifest);
      } else {
        store.images().addUntagged(manifest);
      }
      operation.commit();
      return manifest;
    } catch (IOException e) {
      throw new StoreIOException("committing container " + record.shortId() + " from", upperDir, e);
    }
  }
}
