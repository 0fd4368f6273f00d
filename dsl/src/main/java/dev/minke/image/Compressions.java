package dev.minke.image;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.minke.image.MediaType.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/** Opens compressed layer streams, by media type or by sniffing the first bytes. */
public final class Compressions {
  private static final int GZIP_MAGIC_0 = 0x1f;
  private static final int GZIP_MAGIC_1 = 0x8b;
  private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};

  private Compressions() {}

  /** Wraps {@code in} so that it yields the uncompressed bytes. */
  public static InputStream decompress(InputStream in, Compression compression)
      throws IOException {
    return switch (compression) {
      case NONE -> in;
      case GZIP -> new GZIPInputStream(in, 64 * 1024);
      case ZSTD -> new ZstdInputStream(in);
    };
  }

  /**
   * Detects gzip or zstd from the magic bytes and decompresses; a plain tar passes through. For
   * layers whose media type is unknown or untrusted ({@code docker load}, {@code minke layer
   * apply}).
   */
  public static InputStream decompressDetected(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
    return decompress(buffered, detect(buffered));
  }

  /** Peeks at the first bytes of a mark-supporting stream to tell its compression. */
  public static Compression detect(InputStream markable) throws IOException {
    markable.mark(4);
    byte[] head = markable.readNBytes(4);
    markable.reset();
    if (head.length >= 2 && (head[0] & 0xff) == GZIP_MAGIC_0 && (head[1] & 0xff) == GZIP_MAGIC_1) {
      return Compression.GZIP;
    }
    if (head.length == 4
        && head[0] == ZSTD_MAGIC[0]
        && head[1] == ZSTD_MAGIC[1]
        && head[2] == ZSTD_MAGIC[2]
        && head[3] == ZSTD_MAGIC[3]) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /** A zstd compressor at the given level; its output is fixed for a given zstd-jni version. */
  public static OutputStream zstd(OutputStream out, int level) throws IOException {
    ZstdOutputStream zstd = new ZstdOutputStream(out, level);
    zstd.setChecksum(false);
    return zstd;
  }
}
