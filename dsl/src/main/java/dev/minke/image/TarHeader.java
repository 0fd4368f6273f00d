package dev.minke.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes POSIX ustar header blocks and PAX extended-header records, byte for byte.
 *
 * <p>Minke encodes headers itself rather than through commons-compress because a layer must be
 * fixed to the byte: PAX values must be raw bytes ({@code security.capability} is binary and
 * commons-compress holds PAX values as UTF-8 strings), records must come in sorted order, and
 * nothing may depend on the host (user name, clock). Field layout: POSIX.1-2017, pax, ustar.
 */
final class TarHeader {
  static final int BLOCK = 512;
  static final int NAME_LENGTH = 100;
  /** The largest value of an 8-byte octal field (7 digits + NUL): uid, gid, mode. */
  static final long MAX_OCTAL_7 = 07777777L;
  /** The largest value of a 12-byte octal field (11 digits + NUL): size, mtime. */
  static final long MAX_OCTAL_11 = 077777777777L;

  private static final byte[] MAGIC = "ustar\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION = "00".getBytes(StandardCharsets.US_ASCII);

  private TarHeader() {}

  /** The fields of one ustar header; names are raw bytes, numbers must fit their fields. */
  record Fields(
      byte[] name,
      int mode,
      long uid,
      long gid,
      long sizeBytes,
      long mtimeEpochSeconds,
      byte typeflag,
      byte[] linkName,
      int devMajor,
      int devMinor) {}

  /** One 512-byte header block; uname and gname stay empty on purpose (no host names). */
  static byte[] encode(Fields f) {
    byte[] block = new byte[BLOCK];
    putBytes(block, 0, NAME_LENGTH, f.name());
    putOctal(block, 100, 8, f.mode());
    putOctal(block, 108, 8, f.uid());
    putOctal(block, 116, 8, f.gid());
    putOctal(block, 124, 12, f.sizeBytes());
    putOctal(block, 136, 12, f.mtimeEpochSeconds());
    block[156] = f.typeflag();
    putBytes(block, 157, NAME_LENGTH, f.linkName());
    System.arraycopy(MAGIC, 0, block, 257, MAGIC.length);
    System.arraycopy(VERSION, 0, block, 263, VERSION.length);
    putOctal(block, 329, 8, f.devMajor());
    putOctal(block, 337, 8, f.devMinor());
    // The checksum is summed with its own field read as eight spaces, then written as six
    // octal digits, NUL, space: the form every tar since V7 accepts.
    Arrays.fill(block, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    putOctal(block, 148, 7, sum);
    block[155] = ' ';
    return block;
  }

  /** Appends one PAX record {@code "<len> <key>=<value>\n"}, the length counting itself. */
  static void appendRecord(ByteArrayOutputStream records, String key, byte[] value) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    int rest = 1 + keyBytes.length + 1 + value.length + 1; // ' ' key '=' value '\n'
    int length = rest + 1;
    while (length != rest + Integer.toString(length).length()) {
      length = rest + Integer.toString(length).length();
    }
    records.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
    records.write(' ');
    records.writeBytes(keyBytes);
    records.write('=');
    records.writeBytes(value);
    records.write('\n');
  }

  /** Zero bytes that pad {@code sizeBytes} of content to a whole block. */
  static int padding(long sizeBytes) {
    return (int) ((BLOCK - (sizeBytes % BLOCK)) % BLOCK);
  }

  private static void putBytes(byte[] block, int offset, int length, byte[] value) {
    System.arraycopy(value, 0, block, offset, Math.min(length, value.length));
  }

  /** Zero-padded octal in {@code length - 1} digits and a NUL, as GNU tar and Go write it. */
  private static void putOctal(byte[] block, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    int width = length - 1;
    if (digits.length() > width) {
      throw new IllegalArgumentException(
          "value " + value + " does not fit a " + length + "-byte tar field");
    }
    int pad = width - digits.length();
    for (int i = 0; i < width; i++) {
      block[offset + i] = (byte) (i < pad ? '0' : digits.charAt(i - pad));
    }
    block[offset + width] = 0;
  }
}
