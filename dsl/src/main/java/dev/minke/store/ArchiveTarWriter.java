package dev.minke.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the outer tar of an image archive with fixed metadata: ustar headers, mtime 0, uid/gid
 * 0, mode 0644 for files and 0755 for directories, and the two zero blocks at the end. The
 * caller writes entries in sorted order; then the same content always gives the same bytes.
 */
final class ArchiveTarWriter implements AutoCloseable {
  static final int BLOCK = 512;
  private static final int NAME_LENGTH = 100;
  private static final long MAX_OCTAL_11 = 077777777777L;

  private final OutputStream out;
  private boolean finished;

  ArchiveTarWriter(OutputStream out) {
    this.out = out;
  }

  void directory(String name) throws IOException {
    header(name.endsWith("/") ? name : name + "/", 0, '5', 0755);
  }

  void file(String name, byte[] content) throws IOException {
    header(name, content.length, '0', 0644);
    out.write(content);
    pad(content.length);
  }

  /** Writes {@code sizeBytes} from {@code content}; fewer or more bytes is an error. */
  void file(String name, long sizeBytes, InputStream content) throws IOException {
    header(name, sizeBytes, '0', 0644);
    long copied = 0;
    byte[] buffer = new byte[256 * 1024];
    int n;
    while ((n = content.read(buffer)) >= 0) {
      copied += n;
      if (copied > sizeBytes) {
        throw new IOException(name + " grew while it was written (more than " + sizeBytes + " bytes)");
      }
      out.write(buffer, 0, n);
    }
    if (copied != sizeBytes) {
      throw new IOException(name + " shrank while it was written (" + copied + " of " + sizeBytes + " bytes)");
    }
    pad(sizeBytes);
  }

  /** Writes the end-of-archive marker and flushes; the stream stays open. */
  void finish() throws IOException {
    if (!finished) {
      finished = true;
      out.write(new byte[2 * BLOCK]);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    finish();
  }

  private void header(String name, long sizeBytes, char type, int mode) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    // Every name an archive holds is short (blobs/sha256/<64 hex> is 77 bytes).
    if (nameBytes.length > NAME_LENGTH) {
      throw new IllegalArgumentException("archive entry name too long for ustar: " + name);
    }
    byte[] h = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    size(h, sizeBytes);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    ascii(h, 257, "ustar\0");
    ascii(h, 263, "00");
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    // Checksum: six octal digits, NUL, space (as GNU tar and Go write it).
    ascii(h, 148, String.format("%06o", sum));
    h[154] = 0;
    h[155] = ' ';
    out.write(h);
  }

  private static void size(byte[] h, long sizeBytes) {
    if (sizeBytes <= MAX_OCTAL_11) {
      octal(h, 124, 12, sizeBytes);
      return;
    }
    // GNU base-256: the high bit of the first byte marks a big-endian binary number.
    h[124] = (byte) 0x80;
    for (int i = 0; i < 8; i++) {
      h[135 - i] = (byte) (sizeBytes >>> (8 * i));
    }
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    ascii(h, offset, padded);
    h[offset + length - 1] = 0;
  }

  private static void ascii(byte[] h, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, bytes.length);
  }

  private void pad(long sizeBytes) throws IOException {
    int rest = (int) (sizeBytes % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
