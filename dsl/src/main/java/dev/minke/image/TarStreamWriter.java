package dev.minke.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes layer entries as a POSIX tar with fixed metadata: ustar headers, PAX records only where
 * ustar cannot hold a value, one mtime for every entry, and two zero blocks at the end.
 */
final class TarStreamWriter {
  /** Large reads keep per-call overhead low when streaming files from disk. */
  private static final int COPY_BUFFER_BYTES = 1 << 20;
  private static final byte PAX_TYPEFLAG = 'x';
  private static final byte[] ZEROS = new byte[2 * TarHeader.BLOCK];

  private final OutputStream out;
  private final long mtimeEpochSeconds;
  private final byte[] copyBuffer = new byte[COPY_BUFFER_BYTES];

  TarStreamWriter(OutputStream out, long mtimeEpochSeconds) {
    if (mtimeEpochSeconds < 0) {
      throw new IllegalArgumentException(
          "mtime " + mtimeEpochSeconds + " is before the epoch; tar layers need 0 or more");
    }
    this.out = out;
    this.mtimeEpochSeconds = mtimeEpochSeconds;
  }

  /** Writes the header(s) and content of one entry. */
  void write(LayerEntry entry) throws IOException {
    // Directories carry a trailing slash in tar, as Docker and GNU tar write them.
    String tarName = entry.type() == EntryType.DIRECTORY ? entry.path() + "/" : entry.path();
    byte[] name = tarName.getBytes(StandardCharsets.UTF_8);
    byte[] linkName = entry.linkTarget().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream pax = new ByteArrayOutputStream();
    // Records in key order (gid, linkpath, mtime, path, size, uid, then SCHILY.xattr.* sorted),
    // so that equal entries always give equal bytes.
    boolean bigGid = entry.gid() > TarHeader.MAX_OCTAL_7;
    boolean longLink = linkName.length > TarHeader.NAME_LENGTH;
    boolean bigMtime = mtimeEpochSeconds > TarHeader.MAX_OCTAL_11;
    boolean longName = name.length > TarHeader.NAME_LENGTH;
    boolean bigSize = entry.sizeBytes() > TarHeader.MAX_OCTAL_11;
    boolean bigUid = entry.uid() > TarHeader.MAX_OCTAL_7;
    if (bigGid) {
      TarHeader.appendRecord(pax, "gid", ascii(entry.gid()));
    }
    if (longLink) {
      TarHeader.appendRecord(pax, "linkpath", linkName);
    }
    if (bigMtime) {
      TarHeader.appendRecord(pax, "mtime", ascii(mtimeEpochSeconds));
    }
    if (longName) {
      TarHeader.appendRecord(pax, "path", name);
    }
    if (bigSize) {
      TarHeader.appendRecord(pax, "size", ascii(entry.sizeBytes()));
    }
    if (bigUid) {
      TarHeader.appendRecord(pax, "uid", ascii(entry.uid()));
    }
    for (Map.Entry<String, byte[]> xattr : entry.xattrsView().entrySet()) {
      TarHeader.appendRecord(pax, "SCHILY.xattr." + xattr.getKey(), xattr.getValue());
    }
    if (pax.size() > 0) {
      writePaxHeader(entry.name(), pax.toByteArray());
    }
    // Values moved to PAX are written as 0 (or truncated) in ustar, as PAX readers ignore them.
    out.write(
        TarHeader.encode(
            new TarHeader.Fields(
                name,
                entry.mode(),
                bigUid ? 0 : entry.uid(),
                bigGid ? 0 : entry.gid(),
                bigSize ? 0 : entry.sizeBytes(),
                bigMtime ? 0 : mtimeEpochSeconds,
                entry.type().typeflag(),
                linkName,
                entry.devMajor(),
                entry.devMinor())));
    if (entry.type() == EntryType.FILE && entry.sizeBytes() > 0) {
      copyContent(entry);
    }
  }

  /** Writes the end-of-archive marker: two zero blocks. */
  void finish() throws IOException {
    out.write(ZEROS);
  }

  private void writePaxHeader(String baseName, byte[] records) throws IOException {
    // The name of a PAX header is informational; a fixed pattern keeps it deterministic.
    byte[] name = ("PaxHeaders/" + baseName).getBytes(StandardCharsets.UTF_8);
    out.write(
        TarHeader.encode(
            new TarHeader.Fields(
                name, 0644, 0, 0, records.length, Math.min(mtimeEpochSeconds, TarHeader.MAX_OCTAL_11),
                PAX_TYPEFLAG, new byte[0], 0, 0)));
    out.write(records);
    out.write(ZEROS, 0, TarHeader.padding(records.length));
  }

  private void copyContent(LayerEntry entry) throws IOException {
    long expected = entry.sizeBytes();
    long copied = 0;
    try (InputStream in = entry.content().open()) {
      while (copied < expected) {
        int n = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, expected - copied));
        if (n < 0) {
          throw new LayerInputChangedException(entry.path(), expected, copied);
        }
        out.write(copyBuffer, 0, n);
        copied += n;
      }
      // A file that grew since it was listed would silently lose its tail: refuse instead.
      if (in.read() >= 0) {
        throw new LayerInputChangedException(entry.path(), expected, -1);
      }
    }
    out.write(ZEROS, 0, TarHeader.padding(expected));
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }
}
