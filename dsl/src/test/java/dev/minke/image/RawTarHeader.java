package dev.minke.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One 512-byte ustar header written field by field, so that a test can put bytes there that no
 * tar library would write: negative or overflowing numbers, non-octal digits, lying sizes.
 */
final class RawTarHeader {
  static final int BLOCK = 512;
  static final int NAME = 0;
  static final int MODE = 100;
  static final int UID = 108;
  static final int GID = 116;
  static final int SIZE = 124;
  static final int MTIME = 136;
  static final int CHECKSUM = 148;
  static final int TYPE = 156;
  static final int LINKNAME = 157;
  static final int MAGIC = 257;
  static final int DEV_MAJOR = 329;
  static final int DEV_MINOR = 337;

  private final byte[] header = new byte[BLOCK];

  RawTarHeader(String name, char type) {
    ascii(NAME, name, 100);
    octal(MODE, 0644, 8);
    octal(UID, 0, 8);
    octal(GID, 0, 8);
    octal(SIZE, 0, 12);
    octal(MTIME, 0, 12);
    header[TYPE] = (byte) type;
    ascii(MAGIC, "ustar\0" + "00", 8);
  }

  RawTarHeader linkName(String target) {
    return ascii(LINKNAME, target, 100);
  }

  RawTarHeader size(long size) {
    return octal(SIZE, size, 12);
  }

  /** A zero-padded octal field with its NUL terminator. */
  RawTarHeader octal(int offset, long value, int length) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
    return ascii(offset, padded, length);
  }

  /** GNU base-256: the high bit of the first byte set, then big-endian two's complement. */
  RawTarHeader base256(int offset, long value, int length) {
    byte[] field = new byte[length];
    Arrays.fill(field, (byte) (value < 0 ? 0xff : 0));
    for (int i = 0; i < 8 && i < length - 1; i++) {
      field[length - 1 - i] = (byte) (value >>> (8 * i));
    }
    field[0] = (byte) (field[0] | 0x80);
    return raw(offset, field);
  }

  RawTarHeader ascii(int offset, String text, int length) {
    byte[] field = new byte[length];
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, field, 0, Math.min(bytes.length, length));
    return raw(offset, field);
  }

  RawTarHeader raw(int offset, byte[] field) {
    System.arraycopy(field, 0, header, offset, field.length);
    return this;
  }

  /** The header with its checksum computed (unless {@code badChecksum}). */
  byte[] bytes(boolean badChecksum) {
    byte[] out = header.clone();
    Arrays.fill(out, CHECKSUM, CHECKSUM + 8, (byte) ' ');
    long sum = 0;
    for (byte b : out) {
      sum += b & 0xff;
    }
    if (badChecksum) {
      sum += 1;
    }
    String digits = String.format("%06o", sum);
    System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, out, CHECKSUM, 6);
    out[CHECKSUM + 6] = 0;
    out[CHECKSUM + 7] = ' ';
    return out;
  }

  /** A whole tar: this header, {@code data} padded to a block, and the two end blocks. */
  byte[] tar(byte[] data) {
    return concat(bytes(false), padded(data), new byte[2 * BLOCK]);
  }

  static byte[] padded(byte[] data) {
    int blocks = (data.length + BLOCK - 1) / BLOCK;
    return Arrays.copyOf(data, blocks * BLOCK);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
