package dev.minke.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * A tar reader that refuses oversized metadata entries and keeps PAX xattr values as raw bytes.
 *
 * <p>commons-compress reads PAX headers and GNU long names into memory whole, so a forged size
 * would exhaust the heap; every header record passes through {@link #readRecord()}, where the
 * size is checked before the reader acts on it. It also decodes PAX values as UTF-8, which
 * corrupts binary xattrs such as {@code security.capability}; the bytes of each PAX header are
 * copied as they are read and parsed again here.
 */
final class GuardedTarInputStream extends TarArchiveInputStream {
  /** Generous for long names and xattrs, tiny next to a heap. */
  static final int MAX_METADATA_BYTES = 1 << 20;

  private static final int TYPEFLAG_OFFSET = 156;
  private static final int SIZE_OFFSET = 124;
  private static final int SIZE_LENGTH = 12;

  private final ByteArrayOutputStream paxBytes = new ByteArrayOutputStream();
  private boolean capturingPax;
  private Map<String, byte[]> entryXattrs = Map.of();

  GuardedTarInputStream(InputStream in) {
    super(in, "UTF-8");
  }

  /** The {@code SCHILY.xattr.*} values of the entry last returned, raw, keyed by xattr name. */
  Map<String, byte[]> xattrs() {
    return entryXattrs;
  }

  @Override
  protected byte[] readRecord() throws IOException {
    byte[] record = super.readRecord();
    if (record != null && record.length == TarConstants.DEFAULT_RCDSIZE
        && TarUtils.verifyCheckSum(record)) {
      inspect(record);
    }
    return record;
  }

  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    int n = super.read(buf, offset, length);
    if (capturingPax && n > 0) {
      paxBytes.write(buf, offset, n);
    }
    return n;
  }

  private void inspect(byte[] header) {
    byte type = header[TYPEFLAG_OFFSET];
    boolean metadata =
        type == TarConstants.LF_PAX_EXTENDED_HEADER_LC
            || type == TarConstants.LF_PAX_EXTENDED_HEADER_UC
            || type == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER
            || type == TarConstants.LF_GNUTYPE_LONGNAME
            || type == TarConstants.LF_GNUTYPE_LONGLINK;
    if (metadata) {
      long size = declaredSize(header);
      if (size < 0 || size > MAX_METADATA_BYTES) {
        throw new Refusal(
            "metadata header declares " + size + " bytes, over the " + MAX_METADATA_BYTES
                + " limit");
      }
    }
    if (type == TarConstants.LF_PAX_EXTENDED_HEADER_LC
        || type == TarConstants.LF_PAX_EXTENDED_HEADER_UC) {
      paxBytes.reset();
      capturingPax = true;
    } else if (metadata) {
      capturingPax = false; // A long name between the PAX header and its entry.
    } else {
      capturingPax = false;
      entryXattrs = PaxRecords.xattrs(paxBytes.toByteArray());
      paxBytes.reset();
    }
  }

  private static long declaredSize(byte[] header) {
    try {
      return TarUtils.parseOctalOrBinary(header, SIZE_OFFSET, SIZE_LENGTH);
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}
