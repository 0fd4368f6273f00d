package dev.minke.store;

import dev.minke.build.BusyboxImage;
import dev.minke.image.Descriptor;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.Manifest;
import dev.minke.registry.Reference;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A second JVM for the store's crash and concurrency tests: {@code StoreChild <home> <prefix>
 * <first> <count>} builds and tags images {@code <prefix>:<first>} … in a loop. Every third one
 * is the busybox image; the others have a layer every child shares and a large layer of their
 * own, written slowly so that a kill lands in the middle of a blob.
 */
public final class StoreChild {
  static final int SHARED_LAYER_BYTES = 1 << 20;
  static final int OWN_LAYER_BYTES = 3 << 20;

  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    Store store = Store.open(Path.of(args[0]));
    String prefix = args[1];
    int first = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    for (int i = first; i < first + count; i++) {
      if (i % 3 == 2 && Files.isExecutable(Path.of("/bin/busybox"))) {
        BusyboxImage.make(store, Path.of("/bin/busybox"), 0);
      }
      writeImage(store, prefix, i);
      System.out.println("tagged " + prefix + ":" + i);
      System.out.flush();
    }
  }

  /** The image {@code prefix:i}: the same bytes every time it is made. */
  static Descriptor writeImage(Store store, String prefix, int i) throws IOException {
    try (Operation operation = store.operation()) {
      ImageConfig config = ImageConfig.scratch("1970-01-01T00:00:00Z");
      List<Descriptor> layers = new ArrayList<>();
      List<List<LayerEntry>> contents = List.of(
          List.of(LayerEntry.file("shared.bin", random(SHARED_LAYER_BYTES, 42))),
          List.of(LayerEntry.file(prefix + ".bin", random(OWN_LAYER_BYTES, prefix.hashCode() * 1000L + i))));
      for (List<LayerEntry> entries : contents) {
        LayerBlob blob;
        try (BlobWriter out = operation.newWriter()) {
          blob = new LayerWriter(LayerWriterOptions.defaults().withThreads(1).withGzipLevel(1))
              .write(entries, new Slow(out));
          out.commit();
        }
        layers.add(blob.descriptor());
        config = config.plusLayer(blob.diffId(), HistoryEntry.layer("1970-01-01T00:00:00Z", "layer"));
      }
      Descriptor configDescriptor = operation.putConfig(config);
      Descriptor manifest = operation.putManifest(Manifest.oci(configDescriptor, layers));
      store.images().tag(Reference.parse(prefix + ":" + i), manifest);
      operation.commit();
      return manifest;
    }
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Sleeps a little every 64 KiB, so that writing a few MiB takes a noticeable time. */
  private static final class Slow extends FilterOutputStream {
    private long sinceSleep;

    Slow(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      sinceSleep += len;
      if (sinceSleep >= 64 * 1024) {
        sinceSleep = 0;
        try {
          Thread.sleep(3);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
