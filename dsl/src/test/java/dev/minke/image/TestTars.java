package dev.minke.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds layer tars in memory, names kept exactly as given (leading {@code /} and {@code ..}
 * included), like containerd's tartest.
 */
final class TestTars {
  static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

  TestTars() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  static TestTars tar() {
    return new TestTars();
  }

  TestTars dir(String name, int mode) {
    TarArchiveEntry e = entry(name, TarConstants.LF_DIR);
    e.setMode(mode);
    return add(e, new byte[0]);
  }

  TestTars file(String name, String content, int mode) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(mode);
    return add(e, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A symlink {@code name -> target}. */
  TestTars symlink(String target, String name) {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0777);
    return add(e, new byte[0]);
  }

  /** A hardlink {@code name} to the earlier entry {@code target}. */
  TestTars link(String target, String name) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(0644);
    return add(e, new byte[0]);
  }

  TestTars whiteout(String name) {
    return file(name, "", 0644);
  }

  TestTars node(String name, byte type, int mode, int major, int minor) {
    TarArchiveEntry e = entry(name, type);
    e.setMode(mode);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, new byte[0]);
  }

  TestTars fileWithXattrs(String name, String content, Map<String, String> xattrs) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(0644);
    xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
    return add(e, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A raw PAX header, for values commons-compress cannot write (binary xattrs, huge ids). */
  TestTars pax(byte[] records) {
    TarArchiveEntry e = entry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    return add(e, records);
  }

  /** One PAX record, {@code "<len> key=value\n"}, with a raw value. */
  static byte[] paxRecord(String key, byte[] value) {
    byte[] keyBytes = (" " + key + "=").getBytes(StandardCharsets.UTF_8);
    int body = keyBytes.length + value.length + 1;
    int length = body + String.valueOf(body).length();
    if (String.valueOf(length).length() != String.valueOf(body).length()) {
      length++;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(String.valueOf(length).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(keyBytes);
    out.writeBytes(value);
    out.write('\n');
    return out.toByteArray();
  }

  /** Any entry with content. */
  TestTars add(TarArchiveEntry e, byte[] content) {
    try {
      e.setSize(content.length);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  /** Writes only the header of an entry that claims {@code size} bytes, then stops. */
  byte[] truncatedAfterHeader(TarArchiveEntry e, long size) {
    try {
      e.setSize(size);
      tar.putArchiveEntry(e);
      tar.flush();
      byte[] head = bytes.toByteArray();
      byte[] padded = new byte[head.length + 4096];
      System.arraycopy(head, 0, padded, 0, head.length);
      return padded;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  byte[] bytes() {
    try {
      tar.close();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  InputStream stream() {
    return new ByteArrayInputStream(bytes());
  }

  static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setLastModifiedTime(MTIME);
    e.setUserId(0);
    e.setGroupId(0);
    return e;
  }
}
