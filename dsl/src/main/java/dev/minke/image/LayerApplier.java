package dev.minke.image;

import dev.minke.os.Posix;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Applies a layer tar (plain, gzip or zstd) to a directory, treating the tar as hostile:
 * nothing outside the directory ever changes.
 *
 * <p>Names are cleaned, parents resolved inside the root (symlinks re-rooted, {@code ..}
 * clamped), last components never followed, hardlinks kept inside, whiteouts validated, devices
 * and privileged xattrs created only when allowed, oversized headers refused. A refused entry
 * stops extraction with an {@link UnsafeLayerException}; what was already written inside the
 * directory stays, so callers extract into a fresh directory and discard it on failure.
 */
public final class LayerApplier {
  private LayerApplier() {}

  /**
   * Applies {@code layer} to {@code root}. Reads the stream to the end of the tar and leaves it
   * open.
   *
   * @throws UnsafeLayerException when an entry is refused
   * @throws IOException when reading the layer or writing the directory fails
   */
  public static ApplyReport apply(InputStream layer, Path root, ApplyOptions options)
      throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NotDirectoryException(root.toString());
    }
    Extraction extraction = new Extraction(root.toRealPath(), options, Posix.isRoot());
    InputStream tarBytes = Compressions.decompressDetected(new KeepOpen(layer));
    try (GuardedTarInputStream tar = new GuardedTarInputStream(tarBytes)) {
      String previous = null;
      for (TarArchiveEntry entry = next(tar, previous);
          entry != null;
          entry = next(tar, previous)) {
        try {
          extraction.apply(entry, new ContentReader(tar), tar.xattrs());
        } catch (Refusal r) {
          throw new UnsafeLayerException(entry.getName(), r.reason());
        }
        previous = entry.getName();
      }
    }
    return extraction.finish();
  }

  /** The next header, with a malformed or oversized one refused under a name a person can find. */
  private static TarArchiveEntry next(GuardedTarInputStream tar, String previous) {
    String where = previous == null ? "(first header)" : "(header after " + previous + ")";
    try {
      return tar.getNextEntry();
    } catch (Refusal r) {
      throw new UnsafeLayerException(where, r.reason());
    } catch (IOException | RuntimeException e) {
      throw new UnsafeLayerException(where, "malformed tar: " + e.getMessage());
    }
  }

  /**
   * An entry's content: a read that fails (a truncated tar, a corrupt gzip stream) is a
   * malformed layer, refused under the entry's name, not an I/O error of the target directory.
   */
  private static final class ContentReader extends FilterInputStream {
    ContentReader(InputStream tar) {
      super(tar);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw new Refusal("malformed tar: " + e.getMessage());
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw new Refusal("malformed tar: " + e.getMessage());
      }
    }

    @Override
    public void close() {}
  }

  /** Closing the tar reader releases the decompressor but not the caller's stream. */
  private static final class KeepOpen extends FilterInputStream {
    KeepOpen(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
