package dev.minke.image;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;

/**
 * Writes layer entries as a reproducible, compressed tar and digests it in the same pass.
 *
 * <p>Equal entries give equal bytes on any machine, whatever their order or the core count:
 * entries are sorted ({@link LayerEntryOrder}), every entry gets the options' mtime, owners are
 * numeric with empty names, and there are no atime, ctime or other PAX extras. The diffId is
 * hashed from the tar as it goes into the compressor, the digest from the blob as it leaves.
 */
public final class LayerWriter {
  /** zstd's default level; the bytes it gives are fixed for a given zstd-jni version. */
  static final int ZSTD_LEVEL = 3;
  /** Coalesces the tar's 512-byte header writes before they reach the compressor. */
  private static final int TAR_BUFFER_BYTES = 256 * 1024;

  private final LayerWriterOptions options;

  public LayerWriter(LayerWriterOptions options) {
    this.options = options;
  }

  /**
   * Writes {@code entries} as one layer blob into {@code out}, which stays open.
   *
   * @throws IllegalArgumentException if two entries have the same path
   * @throws LayerInputChangedException if a source file's size changed while it was read
   */
  public LayerBlob write(Collection<LayerEntry> entries, OutputStream out) throws IOException {
    List<LayerEntry> sorted = HardlinkOrder.normalize(LayerEntryOrder.sort(List.copyOf(entries)));
    HashingOutputStream blob = new HashingOutputStream(new KeepOpen(out));
    Compressor compressor = openCompressor(blob);
    try {
      HashingOutputStream tar =
          new HashingOutputStream(new BufferedOutputStream(compressor.stream(), TAR_BUFFER_BYTES));
      TarStreamWriter writer = new TarStreamWriter(tar, options.mtimeEpochSeconds());
      for (LayerEntry entry : sorted) {
        writer.write(entry);
      }
      writer.finish();
      tar.flush();
      compressor.finish();
      out.flush();
      return new LayerBlob(
          tar.digest(),
          blob.digest(),
          blob.sizeBytes(),
          tar.sizeBytes(),
          MediaType.ociLayer(options.compression()));
    } finally {
      compressor.release();
    }
  }

  private Compressor openCompressor(OutputStream blob) throws IOException {
    return switch (options.compression()) {
      case NONE -> new Compressor(blob, null);
      case GZIP -> {
        ParallelGzipOutputStream gzip =
            new ParallelGzipOutputStream(blob, options.gzipLevel(), options.threads());
        yield new Compressor(gzip, gzip);
      }
      case ZSTD -> {
        ZstdOutputStream zstd = new ZstdOutputStream(blob, ZSTD_LEVEL);
        zstd.setChecksum(false);
        // zstd's output is the same for any worker count >= 1, but differs with 0 workers:
        // never use 0, so the core count cannot change the bytes.
        zstd.setWorkers(options.threads());
        yield new Compressor(zstd, null);
      }
    };
  }

  /** The compressing stream, plus the gzip stream when its workers need stopping on failure. */
  private record Compressor(OutputStream stream, ParallelGzipOutputStream gzip) {
    void finish() throws IOException {
      // Closing ends the gzip member or zstd frame; KeepOpen stops it at the caller's stream.
      stream.close();
    }

    void release() {
      if (gzip != null) {
        gzip.abort();
      }
    }
  }

  /** Lets compressors close their output without closing the caller's stream. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
