package dev.minke.build;

import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.LayerListing;
import dev.minke.image.MediaType;
import dev.minke.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Stores for tests: a fresh store with the offline busybox image, and ways to look inside. */
public final class TestStores {
  private TestStores() {}

  /** A new store in {@code dir} holding {@code busybox:latest}. */
  public static Store withBusybox(Path dir) {
    Store store = Store.open(dir);
    BusyboxImage.make(store, BusyboxImage.DEFAULT_BINARY, 0);
    return store;
  }

  /** The entries of a stored layer blob. */
  public static LayerListing listing(Store store, Descriptor layer) {
    try (InputStream in = Compressions.decompress(store.blobs().open(layer.digest()),
        MediaType.compressionOf(layer.mediaType()))) {
      return LayerListing.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the store holds on disk: every blob name and index.json, to compare before and after. */
  public static String snapshotOf(Store store) {
    try (Stream<Path> blobs = Files.list(store.home().resolve("blobs/sha256"))) {
      List<String> names = blobs.map(p -> p.getFileName().toString()).sorted().toList();
      return String.join("\n", names) + "\n" + Files.readString(store.home().resolve("index.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
