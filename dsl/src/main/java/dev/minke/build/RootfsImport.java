package dev.minke.build;

import dev.minke.image.ApplyOptions;
import dev.minke.image.ContainerConfig;
import dev.minke.image.DirectoryLayerOptions;
import dev.minke.image.DirectoryLayers;
import dev.minke.image.LayerApplier;
import dev.minke.image.LayerEntry;
import dev.minke.registry.Reference;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code minke import}: a root filesystem tarball becomes a one-layer image, as {@code docker
 * import} does. The tar is untrusted: it is unpacked with the hostile-input extractor into a
 * scratch directory and written again as a deterministic layer (owners and modes kept, times
 * fixed).
 */
public final class RootfsImport {
  private RootfsImport() {}

  public static BuildResult importTar(Store store, Path tarball, Reference tag, long epochSeconds) {
    try (Operation operation = store.operation()) {
      Path scratch = operation.newScratchDirectory("import-");
      try (InputStream in = Files.newInputStream(tarball)) {
        LayerApplier.apply(in, scratch, ApplyOptions.defaults());
      } catch (java.nio.file.NoSuchFileException e) {
        throw new BuildInputException("import " + tarball, "the file does not exist",
            "give the path of a root filesystem tar (plain, gzip or zstd)");
      } catch (IOException e) {
        throw new BuildInputException("import " + tarball, "cannot read it as a tar: " + e.getMessage(),
            "give the path of a root filesystem tar (plain, gzip or zstd)", e);
      }
      List<LayerEntry> entries;
      try {
        entries = DirectoryLayers.entries(scratch,
            DirectoryLayerOptions.defaults().withPreserveOwnership(true).withReadXattrs(true));
      } catch (IOException e) {
        throw new StoreIOException("reading the unpacked import in", scratch, e);
      }
      String name = tarball.getFileName().toString();
      return ImageWriter.writeOneLayer(store, operation, entries, "IMPORT " + name, ContainerConfig.empty(),
          List.of(), tag, epochSeconds);
    }
  }
}
