package dev.minke.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the outer tar of an image archive, which comes from strangers.
 *
 * <p>It only reports names, types and sizes and hands out each entry's bytes as a bounded
 * stream; it never touches the file system. Metadata entries (PAX, GNU long names) are capped,
 * because a forged size must not exhaust the heap. A stream that ends before the end-of-archive
 * marker is truncated, and says so.
 */
final class ArchiveTarReader {
  /** Far more than any name or PAX record an image archive needs. */
  static final int MAX_METADATA_BYTES = 64 * 1024;

  private static final int BLOCK = ArchiveTarWriter.BLOCK;

  /** One entry: its name (PAX and GNU long names applied), tar type flag and content size. */
  record Entry(String name, char type, long sizeBytes) {
    boolean isRegularFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private final InputStream in;
  private final String source;
  private long remaining;
  private long padding;
  private boolean ended;

  ArchiveTarReader(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /** The next entry, or null at the end-of-archive marker. Skips what is left of the last one. */
  Entry next() throws IOException {
    if (ended) {
      return null;
    }
    skipRest();
    String longName = null;
    Long paxSize = null;
    while (true) {
      byte[] header = readBlock();
      if (isZero(header)) {
        ended = true;
        return null;
      }
      checkChecksum(header);
      char type = (char) header[156];
      long size = size(header);
      boolean headerOnly = "123456".indexOf(type) >= 0;
      remaining = headerOnly ? 0 : size;
      padding = headerOnly ? 0 : (BLOCK - size % BLOCK) % BLOCK;
      switch (type) {
        case 'x' -> {
          String[] pax = parsePax(readMetadata(size));
          if (pax[0] != null) {
            longName = pax[0];
          }
          if (pax[1] != null) {
            paxSize = parseLong(pax[1]);
          }
        }
        case 'L' -> longName = cString(readMetadata(size), 0, Integer.MAX_VALUE);
        case 'g', 'K' -> readMetadata(size);
        default -> {
          if (paxSize != null && !headerOnly) {
            remaining = paxSize;
            padding = (BLOCK - paxSize % BLOCK) % BLOCK;
          }
          String name = longName != null ? longName : ustarName(header);
          return new Entry(name, type, remaining);
        }
      }
    }
  }

  /** The current entry's bytes; reading past them gives end of stream. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw truncated();
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    long toSkip = remaining + padding;
    byte[] buffer = new byte[64 * 1024];
    while (toSkip > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, toSkip));
      if (n < 0) {
        throw truncated();
      }
      toSkip -= n;
    }
    remaining = 0;
    padding = 0;
  }

  private byte[] readMetadata(long size) throws IOException {
    if (size > MAX_METADATA_BYTES) {
      throw new ArchiveFormatException(source,
          "has a tar metadata entry of " + size + " bytes, more than the " + MAX_METADATA_BYTES
              + " an image archive needs", "this is not an image archive Minke can read safely");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    content().transferTo(bytes);
    skipRest();
    return bytes.toByteArray();
  }

  private byte[] readBlock() throws IOException {
    byte[] block = in.readNBytes(BLOCK);
    if (block.length < BLOCK) {
      throw truncated();
    }
    return block;
  }

  private void checkChecksum(byte[] header) {
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : header[i];
    }
    long stored = parseOctal(header, 148, 8);
    if (stored != unsigned && stored != signed) {
      throw new ArchiveFormatException(source, "is not a tar archive (a header checksum is wrong)",
          "pass a tar written by `minke save`, `docker save` or `skopeo copy`; if it is one, it"
              + " was damaged: " + ArchiveFormatException.RESAVE_HINT);
    }
  }

  private long size(byte[] header) {
    if ((header[124] & 0x80) != 0) {
      // GNU base-256; a negative or oversized value is a forgery.
      if ((header[124] & 0x40) != 0) {
        throw malformed("a negative entry size");
      }
      long value = header[124] & 0x3f;
      for (int i = 125; i < 136; i++) {
        if (value > (Long.MAX_VALUE >>> 8)) {
          throw malformed("an entry size that does not fit 63 bits");
        }
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    return parseOctal(header, 124, 12);
  }

  private long parseOctal(byte[] header, int offset, int length) {
    long value = 0;
    int i = offset;
    int end = offset + length;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
      value = value * 8 + (header[i] - '0');
    }
    return value;
  }

  private String ustarName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean posixUstar = header[257] == 'u' && header[262] == 0 && header[263] == '0';
    if (posixUstar) {
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  /** {@code [path, size]} from PAX records ({@code "<len> key=value\n"}); others are ignored. */
  private String[] parsePax(byte[] records) {
    String[] result = new String[2];
    int pos = 0;
    while (pos < records.length) {
      int space = pos;
      while (space < records.length && records[space] != ' ') {
        space++;
      }
      long length = parseLong(new String(records, pos, space - pos, StandardCharsets.US_ASCII));
      if (length <= space - pos + 1 || pos + length > records.length) {
        throw malformed("a malformed PAX record");
      }
      String record = new String(records, space + 1, (int) (pos + length - space - 2), StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        String key = record.substring(0, eq);
        if (key.equals("path")) {
          result[0] = record.substring(eq + 1);
        } else if (key.equals("size")) {
          result[1] = record.substring(eq + 1);
        }
      }
      pos += (int) length;
    }
    return result;
  }

  private long parseLong(String text) {
    try {
      long value = Long.parseLong(text.trim());
      if (value < 0) {
        throw malformed("a negative number in a PAX record");
      }
      return value;
    } catch (NumberFormatException e) {
      throw malformed("a malformed number in a PAX record");
    }
  }

  private static String cString(byte[] bytes, int offset, int maxLength) {
    int end = offset;
    int limit = (int) Math.min(bytes.length, (long) offset + maxLength);
    while (end < limit && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private ArchiveFormatException malformed(String what) {
    return new ArchiveFormatException(source, "has " + what + " in its tar headers",
        "pass a tar written by `minke save`, `docker save` or `skopeo copy`; "
            + ArchiveFormatException.RESAVE_HINT);
  }

  private ArchiveFormatException truncated() {
    return new ArchiveFormatException(source, "is truncated: it ends before the tar end marker",
        ArchiveFormatException.RESAVE_HINT);
  }
}
