package dev.minke.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
  @TempDir Path dir;

  @Test
  void lchown_symlink_changesLinkNotTarget() throws IOException {
    assumeTrue(Posix.isRoot());
    Path target = Files.writeString(dir.resolve("target"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    Posix.lchown(link, 1234, 5678);

    assertEquals(1234, Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(5678, Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, Files.getAttribute(target, "unix:uid"));
  }

  @Test
  void lchown_missingFile_namesCallPathAndErrno() {
    Path missing = dir.resolve("missing");

    PosixException e = assertThrows(PosixException.class, () -> Posix.lchown(missing, 0, 0));

    assertEquals("lchown", e.call());
    assertEquals(PosixException.ENOENT, e.errno());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("No such file"), e.getMessage());
  }

  @Test
  void lchown_negativeUid_rejected() {
    assertThrows(IllegalArgumentException.class, () -> Posix.lchown(dir, -1, 0));
  }

  @Test
  void lchmod_setuidAndSticky_applied() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");

    Posix.lchmod(file, 04755);
    assertEquals(04755, mode(file));
    Posix.lchmod(file, 01700);
    assertEquals(01700, mode(file));
  }

  @Test
  void lchmod_symlink_notSupportedAndTargetUnchanged() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "x");
    Posix.lchmod(target, 0600);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    PosixException e = assertThrows(PosixException.class, () -> Posix.lchmod(link, 0777));

    assertTrue(e.isNotSupported(), e.getMessage());
    assertEquals(0600, mode(target));
  }

  @Test
  void mknod_charDevice_hasMajorMinor() throws IOException {
    assumeTrue(Posix.isRoot());
    Path node = dir.resolve("null2");

    Posix.mknod(node, Posix.NodeType.CHAR, 0666, 1, 3);

    assertEquals(0020000, (int) attr(node, "unix:mode") & 0170000);
    assertEquals(rdev(1, 3), attr(node, "unix:rdev"));
  }

  @Test
  void mknod_blockDeviceWithLargeMinor_encodesLikeGlibc() throws IOException {
    assumeTrue(Posix.isRoot());
    Path node = dir.resolve("blk");

    Posix.mknod(node, Posix.NodeType.BLOCK, 0600, 259, 300);

    assertEquals(0060000, (int) attr(node, "unix:mode") & 0170000);
    assertEquals(rdev(259, 300), attr(node, "unix:rdev"));
  }

  @Test
  void mknod_fifo_created() throws IOException {
    Path fifo = dir.resolve("fifo");

    Posix.mknod(fifo, Posix.NodeType.FIFO, 0640, 0, 0);

    assertEquals(0010000, (int) attr(fifo, "unix:mode") & 0170000);
    assertEquals(0640, mode(fifo));
  }

  @Test
  void mknod_existingPath_failsWithEexist() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");

    PosixException e =
        assertThrows(
            PosixException.class, () -> Posix.mknod(file, Posix.NodeType.FIFO, 0600, 0, 0));

    assertEquals(PosixException.EEXIST, e.errno());
  }

  @Test
  void xattrs_userNamespace_roundTripListRemove() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    byte[] binary = {0, 1, (byte) 0xff, (byte) 0x80};

    Posix.lsetxattr(file, "user.minke.test", binary);

    assertArrayEquals(binary, Posix.lgetxattr(file, "user.minke.test").orElseThrow());
    assertTrue(Posix.llistxattr(file).contains("user.minke.test"));
    Posix.lremovexattr(file, "user.minke.test");
    assertEquals(Optional.empty(), Posix.lgetxattr(file, "user.minke.test"));
    assertFalse(Posix.llistxattr(file).contains("user.minke.test"));
  }

  @Test
  void lsetxattr_trustedOverlayOpaque_onDirectory() throws IOException {
    assumeTrue(Posix.isRoot());
    Path sub = Files.createDirectory(dir.resolve("sub"));

    Posix.lsetxattr(sub, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));

    assertArrayEquals(
        "y".getBytes(StandardCharsets.US_ASCII),
        Posix.lgetxattr(sub, "trusted.overlay.opaque").orElseThrow());
  }

  @Test
  void lsetxattr_symlink_doesNotTouchTarget() throws IOException {
    assumeTrue(Posix.isRoot());
    Path target = Files.writeString(dir.resolve("target"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    Posix.lsetxattr(link, "trusted.minke", new byte[] {1});

    assertTrue(Posix.lgetxattr(link, "trusted.minke").isPresent());
    assertEquals(Optional.empty(), Posix.lgetxattr(target, "trusted.minke"));
  }

  @Test
  void lutimes_symlink_setsLinkTimeOnly() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "x");
    FileTime targetTime = Files.getLastModifiedTime(target);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    FileTime past = FileTime.from(Instant.parse("2001-02-03T04:05:06.789Z"));

    Posix.lutimes(link, past, past);

    assertEquals(past, Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals(targetTime, Files.getLastModifiedTime(target));
  }

  @Test
  void isRoot_matchesUnixUid() throws IOException {
    assertEquals(
        Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
        Posix.isRoot());
  }

  private static int mode(Path path) throws IOException {
    return (int) attr(path, "unix:mode") & 07777;
  }

  private static Object attr(Path path, String name) throws IOException {
    return Files.getAttribute(path, name, LinkOption.NOFOLLOW_LINKS);
  }

  private static long rdev(long major, long minor) {
    return ((major & 0xfff) << 8)
        | ((major & ~0xfffL) << 32)
        | (minor & 0xff)
        | ((minor & ~0xffL) << 12);
  }
}
