package dev.minke.image;

import dev.minke.image.MediaType.Compression;
import java.util.Objects;

/**
 * How {@link LayerWriter} writes a layer: compression, the one mtime of every entry, the gzip
 * level and how many threads compress. The thread count never changes the bytes.
 */
public record LayerWriterOptions(
    Compression compression, long mtimeEpochSeconds, int gzipLevel, int threads) {
  /** The variable reproducible builds use to fix timestamps (reproducible-builds.org/specs). */
  public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

  public LayerWriterOptions {
    Objects.requireNonNull(compression, "compression");
    if (mtimeEpochSeconds < 0) {
      throw new IllegalArgumentException(
          "mtimeEpochSeconds " + mtimeEpochSeconds + " is before the epoch: expected 0 or more");
    }
    if (gzipLevel < 1 || gzipLevel > 9) {
      throw new IllegalArgumentException("gzip level " + gzipLevel + " is not in 1..9");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
  }

  /** Gzip level 6, mtime 0, one compression thread per available core. */
  public static LayerWriterOptions defaults() {
    return new LayerWriterOptions(
        Compression.GZIP, 0, 6, Runtime.getRuntime().availableProcessors());
  }

  public LayerWriterOptions withCompression(Compression newCompression) {
    return new LayerWriterOptions(newCompression, mtimeEpochSeconds, gzipLevel, threads);
  }

  public LayerWriterOptions withMtimeEpochSeconds(long newMtimeEpochSeconds) {
    return new LayerWriterOptions(compression, newMtimeEpochSeconds, gzipLevel, threads);
  }

  public LayerWriterOptions withGzipLevel(int newGzipLevel) {
    return new LayerWriterOptions(compression, mtimeEpochSeconds, newGzipLevel, threads);
  }

  public LayerWriterOptions withThreads(int newThreads) {
    return new LayerWriterOptions(compression, mtimeEpochSeconds, gzipLevel, newThreads);
  }

  /** {@code SOURCE_DATE_EPOCH} from the environment; 0 when unset or empty. */
  public static long sourceDateEpoch() {
    return parseSourceDateEpoch(System.getenv(SOURCE_DATE_EPOCH));
  }

  /**
   * Parses a {@code SOURCE_DATE_EPOCH} value; {@code null} or empty gives 0.
   *
   * @throws InvalidSourceDateEpochException if it is not a non-negative decimal integer
   */
  public static long parseSourceDateEpoch(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    // The spec allows only ASCII digits; Long.parseLong alone would also accept "+5" and "-1".
    if (!value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidSourceDateEpochException(value);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidSourceDateEpochException(value);
    }
  }
}
