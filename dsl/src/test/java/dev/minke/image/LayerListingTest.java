package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class LayerListingTest {

  @Test
  void read_regularFile_recordsSizeModeOwnerAndContentDigest() {
    byte[] content = "127.0.0.1 localhost\n".getBytes();
    LayerListing listing =
        new TestTar().dir("etc").file("etc/hosts", content, 0640, 1000, 50).listing();

    FileInfo hosts = listing.entries().get("etc/hosts");
    assertEquals(
        new FileInfo("etc/hosts", FileType.FILE, content.length, 0640, 1000, 50, "",
            Digest.sha256(content)),
        hosts);
    assertEquals(FileType.DIRECTORY, listing.entries().get("etc").type());
    assertEquals(Digest.sha256(new byte[0]), listing.entries().get("etc").contentDigest());
  }

  @Test
  void read_linksAndSpecialFiles_recordTypesAndTargets() {
    LayerListing listing =
        new TestTar()
            .file("bin/busybox", "elf")
            .symlink("bin/sh", "busybox")
            .hardlink("bin/ls", "bin/busybox")
            .special("dev/null", TarConstants.LF_CHR)
            .special("dev/sda", TarConstants.LF_BLK)
            .special("run/fifo", TarConstants.LF_FIFO)
            .listing();

    Map<String, FileInfo> entries = listing.entries();
    assertEquals(FileType.SYMLINK, entries.get("bin/sh").type());
    assertEquals("busybox", entries.get("bin/sh").linkTarget());
    assertEquals(FileType.HARDLINK, entries.get("bin/ls").type());
    assertEquals("bin/busybox", entries.get("bin/ls").linkTarget());
    assertEquals("", entries.get("bin/busybox").linkTarget());
    assertEquals(FileType.CHAR_DEVICE, entries.get("dev/null").type());
    assertEquals(FileType.BLOCK_DEVICE, entries.get("dev/sda").type());
    assertEquals(FileType.FIFO, entries.get("run/fifo").type());
  }

  @Test
  void read_dotSlashAndAbsoluteNames_cleaned() {
    LayerListing listing =
        new TestTar()
            .dir("./")
            .dir("./etc/")
            .file("./etc/hosts", "x")
            .dir("/usr/")
            .file("/usr//bin/./env", "y")
            .listing();

    assertEquals(Set.of("etc", "etc/hosts", "usr", "usr/bin/env"), listing.entries().keySet());
    assertEquals(List.of("./"), listing.ignoredNames());
  }

  @Test
  void read_hostileNames_clampedAtRootWithoutCrashing() {
    LayerListing listing =
        new TestTar()
            .file("../x", "1")
            .file("../../../etc/passwd", "2")
            .file("a/../../b", "3")
            .file("c/d/../../../../e", "4")
            .whiteout("../../gone")
            .opaque("../opaque")
            .dir("..")
            .listing();

    assertEquals(Set.of("x", "etc/passwd", "b", "e"), listing.entries().keySet());
    assertEquals(Set.of("gone"), listing.whiteouts());
    assertEquals(Set.of("opaque"), listing.opaqueDirs());
    assertEquals(List.of("../"), listing.ignoredNames()); // commons-compress adds the "/"
  }

  @Test
  void read_whiteouts_recordDeletedPaths() {
    LayerListing listing =
        new TestTar().whiteout("etc/old.conf").whiteout("var/cache").whiteout("top").listing();

    assertEquals(Set.of("etc/old.conf", "var/cache", "top"), listing.whiteouts());
    assertTrue(listing.entries().isEmpty(), "whiteout markers are not entries");
  }

  @Test
  void read_opaqueMarkers_recordTheirDirectories() {
    LayerListing listing = new TestTar().dir("app").opaque("app").opaque(".").listing();

    assertEquals(Set.of("app", ""), listing.opaqueDirs());
    assertEquals(Set.of("app"), listing.entries().keySet());
  }

  @Test
  void read_meaninglessWhiteouts_ignored() {
    LayerListing listing =
        new TestTar()
            .file("a/.wh.", "")
            .file("a/.wh..", "")
            .file("a/.wh...", "")
            .file("a/.wh..wh..plnk", "")
            .listing();

    assertTrue(listing.whiteouts().isEmpty());
    assertTrue(listing.entries().isEmpty());
    assertEquals(
        List.of("a/.wh.", "a/.wh..", "a/.wh...", "a/.wh..wh..plnk"), listing.ignoredNames());
  }

  @Test
  void read_duplicatePath_lastEntryWins() {
    LayerListing listing = new TestTar().file("f", "first").file("./f", "second!").listing();

    assertEquals(7, listing.entries().get("f").sizeBytes());
  }

  @Test
  void read_longName_keptWhole() {
    String longName = "deep/" + "d".repeat(150) + "/file-with-a-long-name";
    LayerListing listing = new TestTar().file(longName, "x").listing();

    assertEquals(Set.of(longName), listing.entries().keySet());
  }

  @Test
  void read_notATar_throwsIOException() {
    byte[] garbage = "this is not a tar archive, not even close".repeat(20).getBytes();

    assertThrows(IOException.class, () -> LayerListing.read(new ByteArrayInputStream(garbage)));
  }

  @Test
  void read_emptyTar_emptyListing() {
    LayerListing listing = new TestTar().listing();

    assertTrue(listing.entries().isEmpty());
    assertEquals(0, listing.sizeBytes());
  }

  @Test
  void sizeBytes_sumsEntrySizes() {
    LayerListing listing =
        new TestTar().dir("a").file("a/one", 100, 'x').file("a/two", 23, 'y').whiteout("b")
            .listing();

    assertEquals(123, listing.sizeBytes());
  }

  @Test
  void constructor_uncleanPaths_rejected() {
    FileInfo info = new FileInfo("ok", FileType.FILE, 0, 0644, 0, 0, "", Digest.sha256(""));
    TreeMap<String, FileInfo> entries = new TreeMap<>(Map.of("ok", info));
    TreeSet<String> none = new TreeSet<>();

    assertThrows(
        IllegalArgumentException.class,
        () -> new FileInfo("../x", FileType.FILE, 0, 0, 0, 0, "", Digest.sha256("")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LayerListing(new TreeMap<>(Map.of("other", info)), none, none, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LayerListing(entries, new TreeSet<>(Set.of("a/")), none, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LayerListing(entries, new TreeSet<>(Set.of("")), none, List.of()));
    assertEquals(1, new LayerListing(entries, none, none, List.of()).entries().size());
  }

  @Test
  void hugeLongNameHeader_isRefusedBeforeItIsBuffered() {
    // A GNU long-name header that declares 2 GiB: a plain tar reader would allocate it whole.
    byte[] header = new RawTarHeader("././@LongLink", 'L').size(2L << 30).bytes(false);
    IOException e = assertThrows(IOException.class,
        () -> LayerListing.read(new ByteArrayInputStream(RawTarHeader.concat(header, new byte[1024]))));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }
}
