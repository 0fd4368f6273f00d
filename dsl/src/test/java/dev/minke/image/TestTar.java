package dev.minke.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small layer tars in memory, entry by entry, names written exactly as given. */
final class TestTar {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

  TestTar() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  TestTar dir(String name) {
    return dir(name, 0755, 0, 0);
  }

  TestTar dir(String name, int mode, long uid, long gid) {
    return add(entry(name, TarConstants.LF_DIR, mode, uid, gid), new byte[0]);
  }

  TestTar file(String name, String content) {
    return file(name, content, 0644);
  }

  TestTar file(String name, String content, int mode) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
  }

  /** A file of {@code sizeBytes} copies of {@code fill}: same fill, same content. */
  TestTar file(String name, int sizeBytes, char fill) {
    byte[] content = new byte[sizeBytes];
    Arrays.fill(content, (byte) fill);
    return file(name, content, 0644, 0, 0);
  }

  TestTar file(String name, byte[] content, int mode, long uid, long gid) {
    return add(entry(name, TarConstants.LF_NORMAL, mode, uid, gid), content);
  }

  TestTar symlink(String name, String target) {
    TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, 0777, 0, 0);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  TestTar hardlink(String name, String target) {
    TarArchiveEntry entry = entry(name, TarConstants.LF_LINK, 0644, 0, 0);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  TestTar special(String name, byte typeFlag) {
    return add(entry(name, typeFlag, 0600, 0, 0), new byte[0]);
  }

  /** The OCI whiteout for {@code path}: an empty {@code .wh.<name>} beside it. */
  TestTar whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String marker = path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return file(marker, "");
  }

  /** The OCI opaque marker inside {@code dir}. */
  TestTar opaque(String dir) {
    return file(dir + "/.wh..wh..opq", "");
  }

  byte[] bytes() {
    try {
      tar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LayerListing listing() {
    try {
      return LayerListing.read(new ByteArrayInputStream(bytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TarArchiveEntry entry(String name, byte typeFlag, int mode, long uid, long gid) {
    // preserveAbsolutePath: keep "/x" and "../x" as a hostile producer would write them.
    TarArchiveEntry entry = new TarArchiveEntry(name, typeFlag, true);
    entry.setMode(mode);
    entry.setUserId(uid);
    entry.setGroupId(gid);
    entry.setModTime(0);
    return entry;
  }

  private TestTar add(TarArchiveEntry entry, byte[] content) {
    try {
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
