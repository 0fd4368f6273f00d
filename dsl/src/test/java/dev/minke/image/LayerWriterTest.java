package dev.minke.image;

import static dev.minke.image.TarTestSupport.decompress;
import static dev.minke.image.TarTestSupport.names;
import static dev.minke.image.TarTestSupport.readTar;
import static dev.minke.image.TarTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.image.MediaType.Compression;
import dev.minke.image.TarTestSupport.Written;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
  private static final LayerWriterOptions OPTIONS = LayerWriterOptions.defaults();

  private static List<LayerEntry> sample() {
    return List.of(
        LayerEntry.directory("etc"),
        LayerEntry.file("etc/hosts", "127.0.0.1 localhost\n".getBytes(StandardCharsets.UTF_8)),
        LayerEntry.file("etc/passwd", "root:x:0:0::/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8))
            .withMode(0600),
        LayerEntry.directory("bin"),
        LayerEntry.file("bin/busybox", new byte[5000]).withMode(04755),
        LayerEntry.symlink("bin/sh", "busybox"),
        LayerEntry.hardlink("bin/tar", "bin/busybox"),
        LayerEntry.directory("tmp").withMode(01777),
        LayerEntry.directory("dev"),
        LayerEntry.charDevice("dev/null", 1, 3),
        LayerEntry.blockDevice("dev/loop0", 7, 0),
        LayerEntry.fifo("dev/initctl"),
        LayerEntry.whiteout("etc/motd"),
        LayerEntry.opaque("tmp"),
        LayerEntry.directory("home/me").withOwner(1000, 1000));
  }

  @Test
  void write_sameEntriesInAnotherOrder_identicalBytes() throws IOException {
    List<LayerEntry> shuffled = new ArrayList<>(sample());
    Collections.reverse(shuffled);
    Written a = write(sample(), OPTIONS);
    Written b = write(shuffled, OPTIONS);
    assertArrayEquals(a.bytes(), b.bytes());
    assertEquals(a.blob(), b.blob());
  }

  @Test
  void write_mtimeChanged_digestChanges() throws IOException {
    Written epoch = write(sample(), OPTIONS);
    Written later = write(sample(), OPTIONS.withMtimeEpochSeconds(1_700_000_000L));
    assertNotEquals(epoch.blob().diffId(), later.blob().diffId());
    assertNotEquals(epoch.blob().digest(), later.blob().digest());
    for (TarArchiveEntry e : readTar(decompress(later.bytes(), Compression.GZIP))) {
      assertEquals(1_700_000_000L, e.getLastModifiedTime().toInstant().getEpochSecond());
    }
  }

  @Test
  void write_gzip_reportsDigestsAndSizesOfWhatItWrote() throws IOException {
    Written w = write(sample(), OPTIONS);
    byte[] tar = decompress(w.bytes(), Compression.GZIP);
    assertEquals(Digest.sha256(tar), w.blob().diffId());
    assertEquals(Digest.sha256(w.bytes()), w.blob().digest());
    assertEquals(tar.length, w.blob().uncompressedSizeBytes());
    assertEquals(w.bytes().length, w.blob().compressedSizeBytes());
    assertEquals(MediaType.OCI_LAYER_GZIP, w.blob().mediaType());
  }

  @Test
  void write_noCompression_digestEqualsDiffId() throws IOException {
    Written w = write(sample(), OPTIONS.withCompression(Compression.NONE));
    assertEquals(w.blob().diffId(), w.blob().digest());
    assertEquals(MediaType.OCI_LAYER_TAR, w.blob().mediaType());
    // Headers, content and the two zero blocks: always whole 512-byte blocks.
    assertEquals(0, w.bytes().length % 512);
    byte[] tail = new byte[1024];
    System.arraycopy(w.bytes(), w.bytes().length - 1024, tail, 0, 1024);
    assertArrayEquals(new byte[1024], tail);
  }

  @Test
  void write_readBack_entriesTypesModesAndOwnersAsGiven() throws IOException {
    List<TarArchiveEntry> entries = readTar(decompress(write(sample(), OPTIONS).bytes(), Compression.GZIP));
    Map<String, TarArchiveEntry> byName = new TreeMap<>();
    entries.forEach(e -> byName.put(e.getName(), e));
    assertTrue(byName.get("etc/").isDirectory());
    assertEquals(0600, byName.get("etc/passwd").getMode() & 07777);
    assertEquals(04755, byName.get("bin/busybox").getMode() & 07777);
    assertEquals(5000, byName.get("bin/busybox").getSize());
    assertTrue(byName.get("bin/sh").isSymbolicLink());
    assertEquals("busybox", byName.get("bin/sh").getLinkName());
    assertTrue(byName.get("bin/tar").isLink());
    assertEquals("bin/busybox", byName.get("bin/tar").getLinkName());
    assertEquals(01777, byName.get("tmp/").getMode() & 07777);
    assertTrue(byName.get("dev/null").isCharacterDevice());
    assertEquals(1, byName.get("dev/null").getDevMajor());
    assertEquals(3, byName.get("dev/null").getDevMinor());
    assertTrue(byName.get("dev/loop0").isBlockDevice());
    assertTrue(byName.get("dev/initctl").isFIFO());
    assertEquals(0, byName.get("etc/.wh.motd").getSize());
    assertEquals(1000, byName.get("home/me/").getLongUserId());
    for (TarArchiveEntry e : entries) {
      assertEquals("", e.getUserName(), e.getName());
      assertEquals("", e.getGroupName(), e.getName());
      assertTrue(e.getExtraPaxHeaders().isEmpty(), "no PAX extras on " + e.getName());
      if (!e.getName().equals("home/me/")) {
        assertEquals(0, e.getLongUserId());
        assertEquals(0, e.getLongGroupId());
      }
    }
  }

  @Test
  void write_order_parentsFirstWhiteoutsFirstInEachDirectory() throws IOException {
    List<LayerEntry> entries =
        List.of(
            LayerEntry.file("a/c", new byte[1]),
            LayerEntry.file("a/-x", new byte[1]),
            LayerEntry.whiteout("a/b"),
            LayerEntry.opaque("a"),
            LayerEntry.directory("a"),
            LayerEntry.file("a-b", new byte[1]),
            LayerEntry.directory("a/z"),
            LayerEntry.file("a/z/1", new byte[1]));
    List<String> names = names(readTar(decompress(write(entries, OPTIONS).bytes(), Compression.GZIP)));
    assertEquals(
        List.of("a/", "a/.wh..wh..opq", "a/.wh.b", "a/-x", "a/c", "a/z/", "a/z/1", "a-b"), names);
  }

  @Test
  void write_duplicatePath_rejected() {
    List<LayerEntry> entries = List.of(LayerEntry.directory("a"), LayerEntry.file("a", new byte[0]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(entries, OPTIONS));
    assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
  }

  @Test
  void write_longNames_keptThroughPaxPath() throws IOException {
    String over100 = "d/" + "n".repeat(120);
    String over255 = "d/" + "x".repeat(100) + "/" + "y".repeat(100) + "/" + "z".repeat(100);
    String longTarget = "t".repeat(150);
    List<LayerEntry> entries =
        List.of(
            LayerEntry.directory("d"),
            LayerEntry.file(over100, "a".getBytes(StandardCharsets.UTF_8)),
            LayerEntry.file(over255, "b".getBytes(StandardCharsets.UTF_8)),
            LayerEntry.symlink("d/link", longTarget),
            LayerEntry.file("d/short", new byte[0]));
    Written w = write(entries, OPTIONS.withCompression(Compression.NONE));
    List<TarArchiveEntry> read = readTar(w.bytes());
    assertEquals(List.of("d/", "d/link", over100, "d/short", over255), names(read));
    assertEquals(longTarget, read.get(1).getLinkName());
    // Only the three long entries need a PAX header: 5 entries + 3 headers.
    assertEquals(8, countHeaders(w.bytes()));
  }

  @Test
  void write_uidBeyondOctalField_keptThroughPaxRecord() throws IOException {
    long bigUid = 3_000_000L; // over 07777777 = 2097151, the ustar maximum
    List<LayerEntry> entries = List.of(LayerEntry.file("f", new byte[3]).withOwner(bigUid, 5));
    TarArchiveEntry e = readTar(decompress(write(entries, OPTIONS).bytes(), Compression.GZIP)).get(0);
    assertEquals(bigUid, e.getLongUserId());
    assertEquals(5, e.getLongGroupId());
  }

  @Test
  void write_xattrs_sortedSchilyRecordsWithRawBytes() throws IOException {
    byte[] capability = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Map<String, byte[]> xattrs = new TreeMap<>();
    xattrs.put("user.b", "two".getBytes(StandardCharsets.UTF_8));
    xattrs.put("security.capability", capability);
    xattrs.put("user.a", "one".getBytes(StandardCharsets.UTF_8));
    LayerEntry ping = LayerEntry.file("ping", new byte[10]).withXattrs(xattrs);
    byte[] tar = write(List.of(ping), OPTIONS.withCompression(Compression.NONE)).bytes();
    String text = new String(tar, StandardCharsets.ISO_8859_1);
    int cap = text.indexOf("SCHILY.xattr.security.capability=");
    int a = text.indexOf("SCHILY.xattr.user.a=one\n");
    int b = text.indexOf("SCHILY.xattr.user.b=two\n");
    assertTrue(cap > 0 && cap < a && a < b, "records sorted by name");
    int valueStart = cap + "SCHILY.xattr.security.capability=".length();
    byte[] stored = java.util.Arrays.copyOfRange(tar, valueStart, valueStart + capability.length);
    assertArrayEquals(capability, stored);
    TarArchiveEntry e = readTar(tar).get(0);
    assertEquals("one", e.getExtraPaxHeader("SCHILY.xattr.user.a"));
    assertEquals("ping", e.getName());
  }

  @Test
  void write_gnuTarAndGzip_acceptTheBlob(@TempDir Path dir) throws Exception {
    assumeTrue(TarTestSupport.hasCommand("tar") && TarTestSupport.hasCommand("gzip"));
    List<LayerEntry> entries = new ArrayList<>(sample());
    entries.add(LayerEntry.file("long/" + "n".repeat(300), new byte[7]));
    entries.add(LayerEntry.directory("long"));
    entries.add(LayerEntry.file("bigowner", new byte[1]).withOwner(3_000_000L, 3_000_001L));
    Path blob = dir.resolve("layer.tgz");
    Files.write(blob, write(entries, OPTIONS).bytes());
    TarTestSupport.run(dir, "gzip", "-t", blob.toString());
    String listing = TarTestSupport.run(dir, "tar", "--numeric-owner", "-tvzf", blob.toString());
    assertTrue(listing.contains("bin/tar link to bin/busybox"), listing);
    assertTrue(listing.contains("bin/sh -> busybox"), listing);
    assertTrue(listing.contains("long/" + "n".repeat(300)), listing);
    assertTrue(listing.contains("3000000/3000001"), listing);
    assertTrue(listing.contains("-rwsr-xr-x 0/0"), listing);
    assertFalse(listing.contains("PaxHeaders"), listing);
  }

  @Test
  void write_zstd_decodesWithZstdCommand(@TempDir Path dir) throws Exception {
    assumeTrue(TarTestSupport.hasCommand("zstd"));
    Written w = write(sample(), OPTIONS.withCompression(Compression.ZSTD));
    assertEquals(MediaType.OCI_LAYER_ZSTD, w.blob().mediaType());
    Path blob = dir.resolve("layer.tar.zst");
    Files.write(blob, w.bytes());
    TarTestSupport.run(dir, "zstd", "-q", "-d", blob.toString(), "-o", dir.resolve("layer.tar").toString());
    assertEquals(w.blob().diffId(), Digest.sha256(Files.readAllBytes(dir.resolve("layer.tar"))));
  }

  @Test
  void write_anyThreadCount_identicalBytes() throws IOException {
    List<LayerEntry> entries = new ArrayList<>(sample());
    entries.add(LayerEntry.file("big", ParallelGzipOutputStreamTest.mixedBytes(700_000)));
    for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
      Written one = write(entries, OPTIONS.withCompression(c).withThreads(1));
      Written two = write(entries, OPTIONS.withCompression(c).withThreads(2));
      Written four = write(entries, OPTIONS.withCompression(c).withThreads(4));
      assertArrayEquals(one.bytes(), two.bytes(), c.toString());
      assertArrayEquals(one.bytes(), four.bytes(), c.toString());
    }
  }

  @Test
  void write_fileShorterThanDeclared_throwsInputChanged(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("f");
    Files.write(file, new byte[10]);
    LayerEntry entry = LayerEntry.file("f", file, 20);
    LayerInputChangedException e =
        assertThrows(LayerInputChangedException.class, () -> write(List.of(entry), OPTIONS));
    assertEquals(10, e.actualBytes());
  }

  @Test
  void write_fileLongerThanDeclared_throwsInputChanged(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("f");
    Files.write(file, new byte[30]);
    LayerEntry entry = LayerEntry.file("f", file, 20);
    assertThrows(LayerInputChangedException.class, () -> write(List.of(entry), OPTIONS));
  }

  @Test
  void parseSourceDateEpoch_unsetOrEmpty_isZero() {
    assertEquals(0, LayerWriterOptions.parseSourceDateEpoch(null));
    assertEquals(0, LayerWriterOptions.parseSourceDateEpoch(""));
    assertEquals(1_700_000_000L, LayerWriterOptions.parseSourceDateEpoch("1700000000"));
  }

  @Test
  void parseSourceDateEpoch_invalid_throwsNamingTheValue() {
    for (String bad : List.of("-1", "+5", "12a", "1.5", "99999999999999999999")) {
      InvalidSourceDateEpochException e =
          assertThrows(
              InvalidSourceDateEpochException.class, () -> LayerWriterOptions.parseSourceDateEpoch(bad));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void layerEntry_invalidPaths_rejected() {
    for (String bad : List.of("", "/abs", "dir/", "a//b", "a/../b", "./a", "a/.wh.")) {
      assertThrows(IllegalArgumentException.class, () -> LayerEntry.directory(bad), bad);
    }
  }

  @Test
  void layerEntry_whiteoutAndOpaque_namedAsOciSays() {
    assertEquals("usr/bin/.wh.vi", LayerEntry.whiteout("usr/bin/vi").path());
    assertEquals(".wh.etc", LayerEntry.whiteout("etc").path());
    assertEquals("var/.wh..wh..opq", LayerEntry.opaque("var").path());
    assertTrue(LayerEntry.opaque("var").isWhiteout());
  }

  /** Counts header blocks by walking the tar's header chain. */
  private static int countHeaders(byte[] tar) {
    int count = 0;
    int offset = 0;
    while (offset + 512 <= tar.length && tar[offset] != 0) {
      String size = new String(tar, offset + 124, 11, StandardCharsets.US_ASCII);
      long bytes = Long.parseLong(size, 8);
      offset += 512 + (int) ((bytes + 511) / 512 * 512);
      count++;
    }
    return count;
  }
}
