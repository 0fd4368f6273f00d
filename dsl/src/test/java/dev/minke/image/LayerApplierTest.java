package dev.minke.image;

import static dev.minke.image.TestTars.tar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.image.ApplyOptions.Mode;
import dev.minke.os.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Honest layers: every kind of entry, metadata, whiteouts in both modes, malformed headers. */
class LayerApplierTest {
  @TempDir Path base;
  private Path root;
  private OutsideSentinels sentinels;

  @BeforeEach
  void plantSentinels() throws IOException {
    root = Files.createDirectory(base.resolve("root"));
    sentinels = new OutsideSentinels(base, root);
  }

  @AfterEach
  void nothingOutsideChanged() throws IOException {
    sentinels.assertUnchanged();
  }

  @Test
  void apply_filesDirsSymlinksHardlinks_writtenAndCounted() throws IOException {
    ApplyReport report = apply(tar().dir("./", 0755).dir("etc/", 0755)
        .file("etc/hosts", "127.0.0.1 localhost", 0644).link("etc/hosts", "etc/hosts.allow")
        .dir("usr/local/lib", 0755).file("usr/local/lib/libnothing.so", "\0\0", 0755)
        .symlink("libnothing.so", "usr/local/lib/libnothing.so.2"));

    assertEquals("127.0.0.1 localhost", read("etc/hosts"));
    assertEquals(inode("etc/hosts"), inode("etc/hosts.allow"));
    assertEquals(
        Path.of("libnothing.so"), Files.readSymbolicLink(path("usr/local/lib/libnothing.so.2")));
    assertEquals(0755, mode("usr/local/lib/libnothing.so"));
    assertEquals(new ApplyReport(2, 3, 1, 1, 0, 0, 21, List.of()), report);
  }

  @Test
  void apply_parentsMissingFromTar_created() throws IOException {
    apply(tar().file("a/b/c/file", "x", 0644).dir("other/noparent-2/2/", 0700));
    assertEquals("x", read("a/b/c/file"));
    assertTrue(Files.isDirectory(path("other/noparent-2/2")));
    assertEquals(0700, mode("other/noparent-2/2"));
  }

  @Test
  void apply_gzipAndZstdLayers_detected() throws IOException {
    byte[] plain = tar().file("gz", "gzip", 0644).bytes();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(plain);
    }
    ByteArrayOutputStream zst = new ByteArrayOutputStream();
    try (var out = Compressions.zstd(zst, 3)) {
      out.write(tar().file("zst", "zstd", 0644).bytes());
    }
    LayerApplier.apply(new ByteArrayInputStream(gz.toByteArray()), root, ApplyOptions.defaults());
    LayerApplier.apply(new ByteArrayInputStream(zst.toByteArray()), root, ApplyOptions.defaults());
    assertEquals("gzip", read("gz"));
    assertEquals("zstd", read("zst"));
  }

  @Test
  void apply_callerStream_leftOpen() throws IOException {
    boolean[] closed = {false};
    InputStream layer = new java.io.FilterInputStream(tar().file("f", "x", 0644).stream()) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    LayerApplier.apply(layer, root, ApplyOptions.defaults());
    assertFalse(closed[0]);
  }

  @Test
  void apply_specialModeBits_appliedAfterChown() throws IOException {
    TarArchiveEntry suid = TestTars.entry("bin/su", TarConstants.LF_NORMAL);
    suid.setMode(04755);
    suid.setUserId(0);
    TarArchiveEntry sgid = TestTars.entry("bin/wall", TarConstants.LF_NORMAL);
    sgid.setMode(02755);
    sgid.setGroupId(5);
    apply(tar().add(suid, new byte[] {1}).add(sgid, new byte[] {2}).dir("tmp", 01777));
    assertEquals(04755, mode("bin/su"));
    assertEquals(02755, mode("bin/wall"));
    assertEquals(01777, mode("tmp"));
  }

  @Test
  void apply_numericOwnership_applied() throws IOException {
    assumeTrue(Posix.isRoot());
    TarArchiveEntry file = TestTars.entry("home/app/data", TarConstants.LF_NORMAL);
    file.setUserId(1000);
    file.setGroupId(2000);
    file.setUserName("nobody-here");
    file.setMode(0640);
    TarArchiveEntry link = TestTars.entry("home/app/link", TarConstants.LF_SYMLINK);
    link.setLinkName("data");
    link.setUserId(1001);
    link.setGroupId(2001);
    TarArchiveEntry dir = TestTars.entry("home/app", TarConstants.LF_DIR);
    dir.setUserId(4000000000L);
    dir.setGroupId(65534);
    dir.setMode(0750);
    apply(tar().add(dir, new byte[0]).add(file, new byte[] {1}).add(link, new byte[0]));
    assertEquals(1000, attr("home/app/data", "unix:uid"));
    assertEquals(2000, attr("home/app/data", "unix:gid"));
    assertEquals(1001, attr("home/app/link", "unix:uid"));
    assertEquals((int) 4000000000L, attr("home/app", "unix:uid"));
    assertEquals(0750, mode("home/app"));
  }

  @Test
  void apply_userXattr_setFromPax() throws IOException {
    ApplyReport report = apply(tar().fileWithXattrs("f", "x", Map.of("user.key", "value")));
    assertArrayEquals(bytes("value"), Posix.lgetxattr(path("f"), "user.key").orElseThrow());
    assertEquals(List.of(), report.skipped());
  }

  @Test
  void apply_binaryCapabilityXattr_keptByteForByte() throws IOException {
    assumeTrue(Posix.isRoot());
    // vfs_cap_data v2 for cap_net_raw+ep and cap_setfcap: bytes >= 0x80 are not UTF-8.
    byte[] caps = {1, 0, 0, 2, 0, 0x20, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    ApplyReport report = apply(tar()
        .pax(TestTars.paxRecord("SCHILY.xattr.security.capability", caps))
        .file("bin/ping", "elf", 0755));
    assertArrayEquals(
        caps, Posix.lgetxattr(path("bin/ping"), "security.capability").orElseThrow());
    assertEquals(List.of(), report.skipped());
  }

  @Test
  void apply_xattrInOtherNamespace_skippedIntoReport() throws IOException {
    ApplyReport report = apply(tar().fileWithXattrs("f", "x",
        Map.of("security.selinux", "system_u:object_r:etc_t:s0", "trusted.evil", "1")));
    assertEquals(2, report.skipped().size(), report.skipped().toString());
    assertTrue(report.skipped().get(0).startsWith("f: xattr "), report.skipped().toString());
    assertTrue(report.skipped().stream().allMatch(s -> s.contains("namespace layers may not set")));
    assertEquals(Optional.empty(), Posix.lgetxattr(path("f"), "trusted.evil"));
  }

  @Test
  void apply_devicesAndFifo_created() throws IOException {
    assumeTrue(Posix.isRoot());
    ApplyReport report = apply(tar()
        .node("dev/null", TarConstants.LF_CHR, 0666, 1, 3)
        .node("dev/sda", TarConstants.LF_BLK, 0660, 8, 0)
        .node("run/fifo", TarConstants.LF_FIFO, 0620, 0, 0));
    assertEquals(0020666, attr("dev/null", "unix:mode"));
    assertEquals((1L << 8) | 3, attr("dev/null", "unix:rdev"));
    assertEquals(0060660, attr("dev/sda", "unix:mode"));
    assertEquals(8L << 8, attr("dev/sda", "unix:rdev"));
    assertEquals(0010620, attr("run/fifo", "unix:mode"));
    assertEquals(3, report.specialFiles());
  }

  @Test
  void apply_devicesNotAllowed_skippedIntoReport() throws IOException {
    ApplyReport report = LayerApplier.apply(
        tar().node("dev/null", TarConstants.LF_CHR, 0666, 1, 3).file("ok", "", 0644).stream(),
        root, ApplyOptions.defaults().withAllowDevices(false));
    assertFalse(Files.exists(path("dev/null"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(1, report.skipped().size());
    assertTrue(report.skipped().get(0).startsWith("dev/null: device node skipped"));
    assertEquals(1, report.files());
  }

  @Test
  void apply_unknownEntryType_skippedIntoReport() throws IOException {
    ApplyReport report = apply(tar().add(TestTars.entry("volume", (byte) 'V'), new byte[0]));
    assertEquals(List.of("volume: unsupported entry type 'V'"), report.skipped());
  }

  @Test
  void apply_mtimes_setOnFilesSymlinksAndDirectoriesAfterChildren() throws IOException {
    apply(tar().dir("d", 0755).dir("d/sub", 0755).file("d/sub/f", "x", 0644)
        .symlink("f", "d/sub/l").file("d/g", "y", 0644));
    for (String p : List.of("d", "d/sub", "d/sub/f", "d/sub/l", "d/g")) {
      assertEquals(TestTars.MTIME, attr(p, "lastModifiedTime"), p);
    }
  }

  @Test
  void apply_readOnlyDirectory_stillReceivesChildren() throws IOException {
    apply(tar().dir("ro", 0555).file("ro/f", "x", 0444));
    assertEquals("x", read("ro/f"));
    assertEquals(0555, mode("ro"));
  }

  @Test
  void apply_rootEntry_setsRootModeAndTime() throws IOException {
    apply(tar().dir("./", 0711).file("f", "x", 0644));
    assertEquals(0711, (int) Files.getAttribute(root, "unix:mode") & 07777);
    assertEquals(TestTars.MTIME, Files.getLastModifiedTime(root));
  }

  // --- whiteouts, FLAT ---

  @Test
  void apply_flatWhiteout_deletesLowerFileAndTree() throws IOException {
    lower("etc/passwd", "x");
    lower("var/cache/a/b", "x");
    ApplyReport report = apply(tar().whiteout("etc/.wh.passwd").whiteout(".wh.var")
        .whiteout(".wh.missing"));
    assertFalse(Files.exists(path("etc/passwd")));
    assertTrue(Files.isDirectory(path("etc")));
    assertFalse(Files.exists(path("var")));
    assertEquals(3, report.whiteouts());
  }

  @Test
  void apply_flatWhiteoutAfterSameLayerFile_keepsFile() throws IOException {
    lower("d/lower", "old");
    apply(tar().file("d/f", "new", 0644).whiteout("d/.wh.f").whiteout(".wh.d"));
    assertEquals("new", read("d/f"));
    assertFalse(Files.exists(path("d/lower")));
  }

  @Test
  void apply_flatOpaque_clearsLowerChildrenOnly() throws IOException {
    lower("d/lower1", "old");
    lower("d/sub/lower2", "old");
    lower("other/keep", "old");
    ApplyReport report = apply(tar().dir("d", 0755).dir("d/sub", 0755)
        .file("d/sub/new", "new", 0644).file("d/new", "new", 0644)
        .whiteout("d/.wh..wh..opq"));
    assertFalse(Files.exists(path("d/lower1")));
    assertFalse(Files.exists(path("d/sub/lower2")));
    assertEquals("new", read("d/sub/new"));
    assertEquals("new", read("d/new"));
    assertEquals("old", read("other/keep"));
    assertEquals(1, report.whiteouts());
  }

  @Test
  void apply_flatOpaqueFirst_sameResult() throws IOException {
    lower("d/lower1", "old");
    apply(tar().whiteout("d/.wh..wh..opq").file("d/new", "new", 0644));
    assertFalse(Files.exists(path("d/lower1")));
    assertEquals("new", read("d/new"));
  }

  @Test
  void apply_aufsMetadata_skippedIntoReport() throws IOException {
    ApplyReport report = apply(tar().dir(".wh..wh.plnk", 0700).whiteout(".wh..wh.aufs"));
    assertEquals(2, report.skipped().size());
    assertFalse(Files.exists(path(".wh..wh.plnk")));
  }

  // --- whiteouts, OVERLAY ---

  @Test
  void apply_overlayWhiteout_becomesCharDevice00() throws IOException {
    assumeTrue(Posix.isRoot());
    ApplyReport report = overlay(tar().dir("etc", 0755).whiteout("etc/.wh.passwd")
        .whiteout(".wh.var"));
    assertEquals(0020000, (int) attr("etc/passwd", "unix:mode") & 0170000);
    assertEquals(0L, attr("etc/passwd", "unix:rdev"));
    assertEquals(0L, attr("var", "unix:rdev"));
    assertEquals(2, report.whiteouts());
  }

  @Test
  void apply_overlayOpaque_setsTrustedOverlayXattr() throws IOException {
    assumeTrue(Posix.isRoot());
    overlay(tar().whiteout("d/.wh..wh..opq").file("d/new", "new", 0644));
    assertArrayEquals(
        bytes("y"), Posix.lgetxattr(path("d"), "trusted.overlay.opaque").orElseThrow());
    assertEquals("new", read("d/new"));
    assertFalse(Files.exists(path("d/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void apply_overlayWhiteoutAfterSameLayerFile_keepsFile() throws IOException {
    assumeTrue(Posix.isRoot());
    overlay(tar().file("f", "mine", 0644).whiteout(".wh.f"));
    assertEquals("mine", read("f"));
  }

  @Test
  void apply_overlayModeName_isOverlay() {
    assertEquals(Mode.OVERLAY, ApplyOptions.overlay().mode());
    assertEquals(Mode.FLAT, ApplyOptions.defaults().mode());
  }

  // --- malformed headers ---

  @Test
  void apply_absurdSize_refused() {
    TarArchiveEntry e = TestTars.entry("big", TarConstants.LF_NORMAL);
    byte[] layer = tar().truncatedAfterHeader(e, 1L << 50);
    UnsafeLayerException ex = refused(layer);
    assertEquals("big", ex.entryName());
    assertTrue(ex.reason().startsWith("size 1125899906842624 is over"), ex.reason());
  }

  @Test
  void apply_sizeOverConfiguredLimit_refused() {
    UnsafeLayerException ex = assertThrows(UnsafeLayerException.class,
        () -> LayerApplier.apply(tar().file("f", "12345", 0644).stream(), root,
            ApplyOptions.defaults().withMaxEntryBytes(4)));
    assertEquals("size 5 is over the 4 byte limit", ex.reason());
  }

  @Test
  void apply_hugePaxHeader_refusedBeforeReading() {
    TarArchiveEntry pax = TestTars.entry("PaxHeaders/f", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    UnsafeLayerException ex = refused(tar().truncatedAfterHeader(pax, 1L << 32));
    assertEquals("(first header)", ex.entryName());
    assertTrue(ex.reason().contains("metadata header declares 4294967296 bytes"), ex.reason());
  }

  @Test
  void apply_hugeGnuLongName_refusedBeforeReading() {
    byte[] layer = tar().file("ok", "", 0644)
        .truncatedAfterHeader(TestTars.entry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME),
            3L << 20);
    UnsafeLayerException ex = refused(layer);
    assertEquals("(header after ok)", ex.entryName());
  }

  @Test
  void apply_uidOutOfRange_refused() {
    byte[] records = TestTars.paxRecord("uid", bytes("4294967295"));
    UnsafeLayerException ex = refused(tar().pax(records).file("f", "", 0644).bytes());
    assertEquals("uid 4294967295 is out of range", ex.reason());
  }

  @Test
  void apply_contentTruncated_refusedAsMalformedUnderTheEntryName() {
    byte[] layer = new RawTarHeader("big", '0').size(1 << 20).bytes(false);
    UnsafeLayerException ex = refused(RawTarHeader.concat(layer, new byte[4096]));
    assertEquals("big", ex.entryName());
    assertTrue(ex.reason().startsWith("malformed tar: "), ex.reason());
  }

  @Test
  void apply_deviceNumberOutOfRange_refused() {
    byte[] layer = new RawTarHeader("dev", '3').base256(RawTarHeader.DEV_MAJOR, Long.MAX_VALUE, 8)
        .base256(RawTarHeader.DEV_MINOR, -1, 8).tar(new byte[0]);
    UnsafeLayerException ex = refused(layer);
    assertEquals("dev", ex.entryName());
    assertTrue(ex.reason().startsWith("device number"), ex.reason());
  }

  @Test
  void apply_garbage_refusedAsMalformed() {
    byte[] garbage = new byte[1024];
    java.util.Arrays.fill(garbage, (byte) 'A');
    UnsafeLayerException ex = refused(garbage);
    assertTrue(ex.reason().startsWith("malformed tar"), ex.reason());
  }

  @Test
  void apply_rootNotADirectory_throws() throws IOException {
    Path file = Files.writeString(base.resolve("root/file"), "");
    assertThrows(IOException.class,
        () -> LayerApplier.apply(tar().stream(), file, ApplyOptions.defaults()));
  }

  // --- helpers ---

  private ApplyReport apply(TestTars layer) throws IOException {
    return LayerApplier.apply(layer.stream(), root, ApplyOptions.defaults());
  }

  private ApplyReport overlay(TestTars layer) throws IOException {
    return LayerApplier.apply(layer.stream(), root, ApplyOptions.overlay());
  }

  private UnsafeLayerException refused(byte[] layer) {
    return assertThrows(UnsafeLayerException.class,
        () -> LayerApplier.apply(new ByteArrayInputStream(layer), root, ApplyOptions.defaults()));
  }

  private void lower(String name, String content) throws IOException {
    Path p = path(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private Path path(String name) {
    return root.resolve(name);
  }

  private String read(String name) throws IOException {
    return Files.readString(path(name));
  }

  private Object attr(String name, String attribute) throws IOException {
    return Files.getAttribute(path(name), attribute, LinkOption.NOFOLLOW_LINKS);
  }

  private Object inode(String name) throws IOException {
    return attr(name, "unix:ino");
  }

  private int mode(String name) throws IOException {
    return (int) attr(name, "unix:mode") & 07777;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
