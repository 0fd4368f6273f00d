package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {
  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_BYTES;

  /** Text, repeats and noise, so blocks compress unevenly and refer into their dictionaries. */
  static byte[] mixedBytes(int length) {
    Random random = new Random(42);
    byte[] bytes = new byte[length];
    byte[] text =
        "the quick brown fox jumps over the lazy dog; layers are tars of the changes\n"
            .getBytes(StandardCharsets.US_ASCII);
    int i = 0;
    while (i < length) {
      int run = Math.min(length - i, 1000 + random.nextInt(20_000));
      switch (random.nextInt(3)) {
        case 0 -> {
          for (int j = 0; j < run; j++) {
            bytes[i + j] = text[(j + random.nextInt(3)) % text.length];
          }
        }
        case 1 -> {
          byte[] noise = new byte[run];
          random.nextBytes(noise);
          System.arraycopy(noise, 0, bytes, i, run);
        }
        default -> System.arraycopy(bytes, Math.max(0, i - 40_000), bytes, i, Math.min(run, i));
      }
      i += run;
    }
    return bytes;
  }

  private static byte[] gzip(byte[] input, int threads, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, 6, threads)) {
      for (int off = 0; off < input.length; off += chunk) {
        gz.write(input, off, Math.min(chunk, input.length - off));
      }
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] blob) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
      return in.readAllBytes();
    }
  }

  @Test
  void write_oneTwoFourThreads_identicalBytes() throws IOException {
    byte[] input = mixedBytes(10 * BLOCK + 12345);
    byte[] one = gzip(input, 1, 65536);
    assertArrayEquals(one, gzip(input, 2, 65536));
    assertArrayEquals(one, gzip(input, 4, 65536));
    assertArrayEquals(input, gunzip(one));
  }

  @Test
  void write_chunkSizes_doNotChangeTheBytes() throws IOException {
    byte[] input = mixedBytes(3 * BLOCK + 7);
    byte[] reference = gzip(input, 2, input.length);
    for (int chunk : List.of(1, 511, 4096, BLOCK, BLOCK + 1)) {
      assertArrayEquals(reference, gzip(input, 2, chunk), "chunk " + chunk);
    }
  }

  @Test
  void write_sizesAroundBlockBoundaries_roundTrip() throws IOException {
    for (int length : List.of(0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 3 * BLOCK + 5)) {
      byte[] input = mixedBytes(length);
      assertArrayEquals(input, gunzip(gzip(input, 2, 8192)), "length " + length);
    }
  }

  @Test
  void write_header_fixedMtimeAndOs() throws IOException {
    byte[] blob = gzip("hello".getBytes(StandardCharsets.US_ASCII), 2, 5);
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255},
        Arrays.copyOf(blob, 10));
  }

  @Test
  void write_trailer_crcAndSizeOfInput() throws IOException {
    byte[] input = mixedBytes(2 * BLOCK + 100);
    byte[] blob = gzip(input, 2, 4096);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(input);
    int n = blob.length;
    long storedCrc = (blob[n - 8] & 0xffL) | (blob[n - 7] & 0xffL) << 8 | (blob[n - 6] & 0xffL) << 16
        | (blob[n - 5] & 0xffL) << 24;
    long storedSize = (blob[n - 4] & 0xffL) | (blob[n - 3] & 0xffL) << 8 | (blob[n - 2] & 0xffL) << 16
        | (blob[n - 1] & 0xffL) << 24;
    assertEquals(crc.getValue(), storedCrc);
    assertEquals(input.length, storedSize);
  }

  @Test
  void write_gzipAndPigzCommands_decodeIt(@TempDir Path dir) throws Exception {
    assumeTrue(TarTestSupport.hasCommand("gzip"));
    byte[] input = mixedBytes(5 * BLOCK + 99);
    Path blob = dir.resolve("data.gz");
    Files.write(blob, gzip(input, 2, 65536));
    TarTestSupport.run(dir, "gzip", "-t", blob.toString());
    TarTestSupport.run(dir, "sh", "-c", "gzip -dc data.gz > data.gunzip");
    assertArrayEquals(input, Files.readAllBytes(dir.resolve("data.gunzip")));
    if (TarTestSupport.hasCommand("pigz")) {
      TarTestSupport.run(dir, "sh", "-c", "pigz -dc data.gz > data.unpigz");
      assertArrayEquals(input, Files.readAllBytes(dir.resolve("data.unpigz")));
    }
  }

  @Test
  void write_compressesAboutAsWellAsGzipOutputStream() throws IOException {
    byte[] input = mixedBytes(8 * BLOCK);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(plain)) {
      gz.write(input);
    }
    int parallel = gzip(input, 2, 65536).length;
    // Block boundaries cost a little (sync markers, lost matches); a few percent at most.
    double ratio = parallel / (double) plain.size();
    org.junit.jupiter.api.Assertions.assertTrue(ratio < 1.05, "size ratio " + ratio);
  }
}
