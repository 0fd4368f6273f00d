package dev.minke.build;

import dev.minke.image.ContainerConfig;
import dev.minke.image.HistoryEntry;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.registry.Reference;
import dev.minke.store.BlobWriter;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Writes a one-layer image from a list of entries: used by {@code minke import} and the offline
 * busybox image. The image is tagged only after every blob is stored.
 */
final class ImageWriter {
  private ImageWriter() {}

  static BuildResult writeOneLayer(Store store, Collection<LayerEntry> entries, String createdBy,
      ContainerConfig config, List<String> configHistory, Reference tag, long epochSeconds) {
    try (Operation operation = store.operation()) {
      return writeOneLayer(store, operation, entries, createdBy, config, configHistory, tag, epochSeconds);
    }
  }

  /** The same, within an operation the caller holds (and that this commits). */
  static BuildResult writeOneLayer(Store store, Operation operation, Collection<LayerEntry> entries,
      String createdBy, ContainerConfig config, List<String> configHistory, Reference tag, long epochSeconds) {
    String created = Instant.ofEpochSecond(epochSeconds).toString();
    StageState state = StageState.start(new BaseImage.Scratch(), store);
    LayerBlob blob;
    try (BlobWriter out = operation.newWriter()) {
      blob = new LayerWriter(LayerWriterOptions.defaults().withMtimeEpochSeconds(epochSeconds))
          .write(entries, out);
      out.commit();
    } catch (IOException e) {
      throw new StoreIOException("writing the layer into", store.home(), e);
    }
    state.addLayer(blob, HistoryEntry.layer(created, createdBy));
    state.setConfig(state.config().withConfig(config));
    for (String step : configHistory) {
      state.setConfig(state.config().plusHistory(HistoryEntry.config(created, step)));
    }
    BuildResult result = state.finish(operation, created, List.of());
    if (tag != null) {
      store.images().tag(tag, result.manifestDescriptor());
    }
    return result;
  }
}
