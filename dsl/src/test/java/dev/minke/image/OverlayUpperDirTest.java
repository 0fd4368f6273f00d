package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.os.Posix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayUpperDirTest {
  private static final LayerWriterOptions WRITER = LayerWriterOptions.defaults();

  @TempDir Path tmp;
  private OverlayFixture overlay;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(OverlayFixture.canMount(), "needs root and overlayfs");
    overlay = new OverlayFixture(tmp.resolve("ov"));
  }

  @AfterEach
  void unmountAll() throws IOException {
    if (overlay != null) {
      overlay.close(); // before @TempDir cleanup: never delete through a live mount
    }
  }

  @Test
  void entries_containerChanges_becomeOciWhiteoutsAndKeepOwners() throws IOException {
    overlay.runContainer();
    Map<String, LayerEntry> byPath = byPath(OverlayUpperDir.entries(overlay.upper, options()));

    assertTrue(byPath.containsKey("app/.wh.old.txt"), byPath.keySet().toString());
    assertTrue(byPath.containsKey("opt/x/.wh.y"), byPath.keySet().toString());
    assertTrue(byPath.containsKey("data/.wh..wh..opq"), byPath.keySet().toString());
    assertEquals(EntryType.DIRECTORY, byPath.get("data").type());
    assertTrue(byPath.values().stream().noneMatch(e -> e.type() == EntryType.CHAR_DEVICE));
    assertFalse(byPath.containsKey("app/old.txt"));
    assertEquals(0700, byPath.get("bin/tool").mode());
    assertEquals(1000, byPath.get("app/keep.txt").uid());
    assertEquals(1000, byPath.get("app/keep.txt").gid());
    assertEquals(EntryType.HARDLINK, byPath.get("lib/big-link").type());
    assertEquals("lib/big", byPath.get("lib/big-link").linkTarget());
    assertEquals(EntryType.HARDLINK, byPath.get("app/new.txt").type(), "app/new-link.txt sorts first");
    assertEquals(EntryType.SYMLINK, byPath.get("app/current").type());
    assertEquals("new.txt", byPath.get("app/current").linkTarget());
    assertArrayEquals("hello", byPath.get("app/new-link.txt").xattrs().get("user.note"));
    // Untouched lower entries are not in the diff at all.
    assertFalse(byPath.containsKey("etc/motd"));
    assertFalse(byPath.containsKey("app/config.json"));
  }

  @Test
  void entries_appliedFlatOnLowers_reproduceMergedView() throws IOException {
    SortedMap<String, String> mergedView = overlay.runContainer();
    Path root = Files.createDirectories(tmp.resolve("flat"));

    apply(layer(overlay.lowerBottom), root, ApplyOptions.defaults());
    apply(layer(overlay.lowerTop), root, ApplyOptions.defaults());
    apply(layer(overlay.upper), root, ApplyOptions.defaults());

    assertEquals(mergedView, OverlayFixture.listing(root));
  }

  @Test
  void entries_appliedInOverlayMode_giveBackOverlayMarkersAndTheMergedView() throws IOException {
    SortedMap<String, String> mergedView = overlay.runContainer();
    Path reextracted = Files.createDirectories(tmp.resolve("reextracted"));

    apply(layer(overlay.upper), reextracted, ApplyOptions.overlay());

    assertWhiteout(reextracted.resolve("app/old.txt"));
    assertWhiteout(reextracted.resolve("opt/x/y"));
    assertArrayEquals("y", Posix.lgetxattr(reextracted.resolve("data"), "trusted.overlay.opaque")
        .orElseThrow());
    Path view = overlay.mountReadOnly("view", reextracted, overlay.lowerTop, overlay.lowerBottom);
    SortedMap<String, String> remounted = OverlayFixture.listing(view);
    overlay.unmount();
    assertEquals(mergedView, remounted);
  }

  @Test
  void write_overlayPrivateXattrs_neverReachTheTar() throws IOException {
    overlay.runContainer();
    // The test means something only if overlay really left its attributes in the upper dir.
    assertTrue(Posix.llistxattr(overlay.upper.resolve("data")).contains("trusted.overlay.opaque"));
    assertTrue(Posix.llistxattr(overlay.upper.resolve("etc/passwd")).stream()
        .anyMatch(n -> n.startsWith("trusted.overlay.")), "copy-up records an origin");

    List<TarArchiveEntry> tar = tarOf(layer(overlay.upper));

    assertNoOverlayXattrs(tar);
    TarArchiveEntry note = tar.stream()
        .filter(e -> e.getName().equals("app/new-link.txt")).findFirst().orElseThrow();
    assertEquals("hello", note.getExtraPaxHeaders().get("SCHILY.xattr.user.note"));
  }

  @Test
  void entries_userxattrMount_readsUserOverlayMarkersAndDropsThem() throws IOException {
    overlay.runContainer("userxattr");
    assertTrue(Posix.llistxattr(overlay.upper.resolve("data")).contains("user.overlay.opaque"));

    List<LayerEntry> entries = OverlayUpperDir.entries(overlay.upper, options());

    assertTrue(byPath(entries).containsKey("data/.wh..wh..opq"));
    assertTrue(byPath(entries).containsKey("app/.wh.old.txt"));
    assertNoOverlayXattrs(tarOf(write(entries).bytes()));
  }

  @Test
  void entries_readXattrsOff_dropsUserXattrs() throws IOException {
    overlay.runContainer();

    List<LayerEntry> entries =
        OverlayUpperDir.entries(overlay.upper, options().withReadXattrs(false));

    assertTrue(entries.stream().allMatch(e -> e.xattrs().isEmpty()));
  }

  @Test
  void write_twice_givesTheSameDigest() throws IOException {
    overlay.runContainer();

    LayerBlob first = write(OverlayUpperDir.entries(overlay.upper, options())).blob();
    LayerBlob second = write(OverlayUpperDir.entries(overlay.upper, options())).blob();

    assertEquals(first.digest(), second.digest());
    assertEquals(first.diffId(), second.diffId());
  }

  @Test
  void entries_redirectDirRename_refused() throws IOException {
    overlay.writeLowers();
    overlay.mount("redirect_dir=on");
    try {
      Files.move(overlay.merged.resolve("data"), overlay.merged.resolve("data2"));
    } finally {
      overlay.unmount();
    }

    OverlayDiffUnsupportedException e = assertThrows(OverlayDiffUnsupportedException.class,
        () -> OverlayUpperDir.entries(overlay.upper, options()));

    assertEquals("trusted.overlay.redirect", e.attribute());
    assertEquals(overlay.upper.resolve("data2"), e.upperPath());
    assertTrue(e.hint().contains("redirect_dir"), e.hint());
  }

  @Test
  void entries_metacopyChmod_refused() throws IOException {
    overlay.writeLowers();
    overlay.mount("metacopy=on");
    try {
      Posix.lchmod(overlay.merged.resolve("app/keep.txt"), 0600);
    } finally {
      overlay.unmount();
    }

    OverlayDiffUnsupportedException e = assertThrows(OverlayDiffUnsupportedException.class,
        () -> OverlayUpperDir.entries(overlay.upper, options()));

    assertEquals("trusted.overlay.metacopy", e.attribute());
  }

  @Test
  void entries_emptyUpper_isEmpty() throws IOException {
    assertEquals(List.of(), OverlayUpperDir.entries(overlay.upper, options()));
  }

  private static OverlayUpperOptions options() {
    return OverlayUpperOptions.defaults();
  }

  private static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    return entries.stream().collect(Collectors.toMap(LayerEntry::path, e -> e));
  }

  private static byte[] layer(Path overlayDir) throws IOException {
    return write(OverlayUpperDir.entries(overlayDir, options())).bytes();
  }

  private static TarTestSupport.Written write(List<LayerEntry> entries) throws IOException {
    return TarTestSupport.write(entries, WRITER);
  }

  private static void apply(byte[] blob, Path root, ApplyOptions options) throws IOException {
    LayerApplier.apply(new ByteArrayInputStream(blob), root, options);
  }

  private static List<TarArchiveEntry> tarOf(byte[] blob) throws IOException {
    return TarTestSupport.readTar(TarTestSupport.decompress(blob, WRITER.compression()));
  }

  private static void assertNoOverlayXattrs(List<TarArchiveEntry> tar) {
    for (TarArchiveEntry entry : tar) {
      for (String key : entry.getExtraPaxHeaders().keySet()) {
        assertFalse(key.startsWith("SCHILY.xattr.trusted.overlay.")
            || key.startsWith("SCHILY.xattr.user.overlay."), entry.getName() + " has " + key);
      }
    }
  }

  private static void assertWhiteout(Path path) throws IOException {
    Map<String, Object> unix = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(0020000, (Integer) unix.get("mode") & 0170000, path + " is a char device");
    assertEquals(0L, unix.get("rdev"), path + " is 0/0");
  }

  private static void assertArrayEquals(String expected, byte[] actual) {
    assertEquals(expected, new String(actual, StandardCharsets.UTF_8));
  }
}
