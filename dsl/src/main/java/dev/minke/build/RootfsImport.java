package dev.minke.build;

import dev.minke.image.ApplyOptions;
import dev.minke.image.ContainerConfig;
import dev.minke.image.DirectoryLayerOptions;
import dev.minke.image.DirectoryLayers;
import dev.minke.image.LayerApplier;
import dev.minke.image.LayerEntry;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
    Path scratch;
    try {
      scratch = Files.createTempDirectory(store.home().resolve("tmp"), "import-");
    } catch (IOException e) {
      throw new StoreIOException("creating a scratch directory in", store.home(), e);
    }
    try {
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
      return ImageWriter.writeOneLayer(store, entries, "IMPORT " + name, ContainerConfig.empty(), List.of(),
          tag, epochSeconds);
    } finally {
      deleteTree(scratch);
    }
  }

  /** Deletes the scratch tree without following links (it holds no mounts: nothing mounts there). */
  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // A leftover scratch dir under tmp/ is reported by fsck and removed by gc.
    }
  }
}
