package dev.minke.image;

import static dev.minke.image.TarTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.image.MediaType.Compression;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLayersTest {
  private static final DirectoryLayerOptions DEFAULTS = DirectoryLayerOptions.defaults();
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  /** The same small tree every time: files, a nested dir, a symlink and a hardlink. */
  private static Path tree(Path root) throws IOException {
    Files.createDirectories(root.resolve("src/lib"));
    Files.writeString(root.resolve("src/main.c"), "int main() { return 0; }\n");
    Files.writeString(root.resolve("src/lib/util.c"), "int util(void) { return 1; }\n");
    Files.write(root.resolve("src/lib/blob.bin"), ParallelGzipOutputStreamTest.mixedBytes(300_000));
    Files.createSymbolicLink(root.resolve("src/current"), Path.of("lib/util.c"));
    Files.createLink(root.resolve("src/lib/util-copy.c"), root.resolve("src/lib/util.c"));
    Files.setPosixFilePermissions(root.resolve("src/main.c"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    return root;
  }

  private static void touchEverything(Path root, Instant time, int owner) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        FileTime t = FileTime.from(time);
        if (!Files.isSymbolicLink(p)) {
          Files.setLastModifiedTime(p, t);
          Files.setAttribute(p, "lastAccessTime", t);
        }
        if (ROOT) {
          Files.setAttribute(p, "unix:uid", owner, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", owner, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    return entries.stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
  }

  @Test
  void entries_twoTreesDifferingInTimesAndOwners_identicalDigests(@TempDir Path dir)
      throws IOException {
    Path a = tree(dir.resolve("a"));
    Path b = tree(dir.resolve("b"));
    touchEverything(a, Instant.parse("2001-02-03T04:05:06Z"), 1234);
    touchEverything(b, Instant.parse("2024-06-07T08:09:10Z"), 4321);
    LayerBlob blobA = write(DirectoryLayers.entries(a, DEFAULTS), LayerWriterOptions.defaults()).blob();
    LayerBlob blobB = write(DirectoryLayers.entries(b, DEFAULTS), LayerWriterOptions.defaults()).blob();
    assertEquals(blobA.diffId(), blobB.diffId());
    assertEquals(blobA.digest(), blobB.digest());
  }

  @Test
  void entries_hardlinkedFiles_laterPathsLinkToFirst(@TempDir Path dir) throws IOException {
    Map<String, LayerEntry> entries = byPath(DirectoryLayers.entries(tree(dir), DEFAULTS));
    LayerEntry first = entries.get("src/lib/util-copy.c"); // '-' sorts before '.'
    LayerEntry second = entries.get("src/lib/util.c");
    assertEquals(EntryType.FILE, first.type());
    assertEquals(EntryType.HARDLINK, second.type());
    assertEquals("src/lib/util-copy.c", second.linkTarget());
    assertEquals(0, second.sizeBytes());
  }

  @Test
  void entries_symlink_keptNotFollowed(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("outside"));
    Files.writeString(dir.resolve("outside/secret"), "x");
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createSymbolicLink(src.resolve("escape"), dir.resolve("outside"));
    Map<String, LayerEntry> entries = byPath(DirectoryLayers.entries(src, DEFAULTS));
    assertEquals(EntryType.SYMLINK, entries.get("escape").type());
    assertEquals(dir.resolve("outside").toString(), entries.get("escape").linkTarget());
    assertEquals(1, entries.size());
  }

  @Test
  void entries_modeBits_keptIncludingSpecialBits(@TempDir Path dir) throws IOException {
    Path root = tree(dir);
    Files.setAttribute(root.resolve("src/lib"), "unix:mode", 01777);
    Files.setAttribute(root.resolve("src/lib/blob.bin"), "unix:mode", 04711);
    Map<String, LayerEntry> entries = byPath(DirectoryLayers.entries(root, DEFAULTS));
    assertEquals(0750, entries.get("src/main.c").mode());
    assertEquals(01777, entries.get("src/lib").mode());
    assertEquals(04711, entries.get("src/lib/blob.bin").mode());
  }

  @Test
  void entries_byDefault_ownedByRootWithoutXattrs(@TempDir Path dir) throws IOException {
    Path root = tree(dir);
    assumeTrue(ROOT);
    touchEverything(root, Instant.EPOCH, 777);
    setUserXattr(root.resolve("src/main.c"), "origin", "host");
    for (LayerEntry e : DirectoryLayers.entries(root, DEFAULTS)) {
      assertEquals(0, e.uid(), e.path());
      assertEquals(0, e.gid(), e.path());
      assertTrue(e.xattrs().isEmpty(), e.path());
    }
  }

  @Test
  void entries_preserveOwnership_keepsHostIds(@TempDir Path dir) throws IOException {
    assumeTrue(ROOT);
    Path root = tree(dir);
    touchEverything(root, Instant.EPOCH, 777);
    List<LayerEntry> entries =
        DirectoryLayers.entries(root, DEFAULTS.withPreserveOwnership(true));
    for (LayerEntry e : entries) {
      assertEquals(777, e.uid(), e.path());
      assertEquals(777, e.gid(), e.path());
    }
  }

  @Test
  void entries_ownerAndModeOverride_appliedLikeCopyChownChmod(@TempDir Path dir)
      throws IOException {
    DirectoryLayerOptions options = DEFAULTS.withOwnerOverride(1000, 1001).withModeOverride(0640);
    Map<String, LayerEntry> entries = byPath(DirectoryLayers.entries(tree(dir), options));
    for (LayerEntry e : entries.values()) {
      assertEquals(1000, e.uid(), e.path());
      assertEquals(1001, e.gid(), e.path());
      assertEquals(e.type() == EntryType.SYMLINK ? 0777 : 0640, e.mode(), e.path());
    }
  }

  @Test
  void entries_filterRejectsDirectory_skipsItsSubtree(@TempDir Path dir) throws IOException {
    DirectoryLayerOptions options = DEFAULTS.withFilter(p -> !p.equals("src/lib"));
    List<String> paths =
        DirectoryLayers.entries(tree(dir), options).stream().map(LayerEntry::path).toList();
    assertEquals(List.of("src", "src/current", "src/main.c"), paths);
  }

  @Test
  void entries_destination_prefixesEveryPathAndListsTheRoot(@TempDir Path dir) throws IOException {
    Path root = tree(dir);
    List<String> paths =
        DirectoryLayers.entries(root.resolve("src"), DEFAULTS.withDestination("/app/"))
            .stream().map(LayerEntry::path).toList();
    assertEquals("app", paths.get(0));
    assertTrue(paths.contains("app/lib/util.c"));
    assertTrue(paths.stream().allMatch(p -> p.equals("app") || p.startsWith("app/")));
  }

  @Test
  void entries_socket_skipped(@TempDir Path dir) throws IOException {
    Path socket = dir.resolve("s.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.writeString(dir.resolve("f"), "x");
      List<String> paths =
          DirectoryLayers.entries(dir, DEFAULTS).stream().map(LayerEntry::path).toList();
      assertEquals(List.of("f"), paths);
    }
  }

  @Test
  void entries_fifoAndDevice_listedWithTheirNumbers(@TempDir Path dir) throws Exception {
    assumeTrue(ROOT && TarTestSupport.hasCommand("mknod") && TarTestSupport.hasCommand("mkfifo"));
    TarTestSupport.run(dir, "mkfifo", "pipe");
    TarTestSupport.run(dir, "mknod", "null", "c", "1", "3");
    TarTestSupport.run(dir, "mknod", "disk", "b", "259", "1048575");
    Map<String, LayerEntry> entries = byPath(DirectoryLayers.entries(dir, DEFAULTS));
    assertEquals(EntryType.FIFO, entries.get("pipe").type());
    assertEquals(EntryType.CHAR_DEVICE, entries.get("null").type());
    assertEquals(1, entries.get("null").devMajor());
    assertEquals(3, entries.get("null").devMinor());
    assertEquals(259, entries.get("disk").devMajor());
    assertEquals(1048575, entries.get("disk").devMinor());
  }

  @Test
  void entries_readXattrs_keepsUserAttributes(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assumeTrue(setUserXattr(file, "origin", "host"));
    List<LayerEntry> entries = DirectoryLayers.entries(dir, DEFAULTS.withReadXattrs(true));
    assertArrayEquals("host".getBytes(StandardCharsets.UTF_8),
        entries.get(0).xattrs().get("user.origin"));
  }

  @Test
  void entries_readXattrs_keepsFileCapability(@TempDir Path dir) throws Exception {
    assumeTrue(ROOT && TarTestSupport.hasCommand("setcap"));
    Path file = Files.writeString(dir.resolve("ping"), "x");
    TarTestSupport.run(dir, "setcap", "cap_net_raw+ep", file.toString());
    LayerEntry entry = DirectoryLayers.entries(dir, DEFAULTS.withReadXattrs(true)).get(0);
    byte[] capability = entry.xattrs().get("security.capability");
    // vfs_cap_data: magic/revision word, then permitted bit 13 (CAP_NET_RAW) and effective flag.
    assertEquals(20, capability.length);
    assertEquals(0x20, capability[5] & 0xff);
  }

  @Test
  void entries_fileContent_streamedFromDisk(@TempDir Path dir) throws IOException {
    Map<String, LayerEntry> entries = byPath(DirectoryLayers.entries(tree(dir), DEFAULTS));
    LayerEntry blob = entries.get("src/lib/blob.bin");
    assertInstanceOf(EntryContent.FromPath.class, blob.content());
    assertEquals(300_000, blob.sizeBytes());
  }

  @Test
  void entries_writtenLayer_extractsWithGnuTar(@TempDir Path dir) throws Exception {
    assumeTrue(TarTestSupport.hasCommand("tar"));
    Path root = tree(dir.resolve("in"));
    byte[] blob = write(DirectoryLayers.entries(root, DEFAULTS), LayerWriterOptions.defaults()
        .withCompression(Compression.GZIP)).bytes();
    Files.write(dir.resolve("layer.tgz"), blob);
    Path out = Files.createDirectories(dir.resolve("out"));
    TarTestSupport.run(out, "tar", "-xzf", dir.resolve("layer.tgz").toString());
    assertArrayEquals(Files.readAllBytes(root.resolve("src/lib/blob.bin")),
        Files.readAllBytes(out.resolve("src/lib/blob.bin")));
    assertEquals(Files.getAttribute(out.resolve("src/lib/util.c"), "unix:ino"),
        Files.getAttribute(out.resolve("src/lib/util-copy.c"), "unix:ino"));
    assertTrue(Files.isSymbolicLink(out.resolve("src/current")));
    assertFalse(Files.exists(out.resolve("PaxHeaders")));
  }

  private static boolean setUserXattr(Path file, String name, String value) {
    try {
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
      view.write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false; // the filesystem has no user xattrs (e.g. some tmpfs)
    }
  }
}
