package dev.minke.image;

import static dev.minke.image.TestTars.tar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile layers: containerd's TestBreakouts (pkg/archive/tar_test.go) ported case by case, plus
 * links planted by an earlier layer. After every test, nothing outside the root has changed.
 *
 * <p>Where containerd clamps a {@code ..} entry name, Minke refuses it; those cases assert the
 * refusal instead of containerd's validator.
 */
class LayerApplierBreakoutTest {
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

  // --- symlinks ---

  @Test
  void apply_symlinkAbsolute_resolvesInsideRoot() throws IOException {
    apply(tar().dir("etc", 0755).symlink("/etc", "localetc")
        .file("/localetc/unbroken", "unbroken", 0644));
    assertEquals("unbroken", read("etc/unbroken"));
  }

  @Test
  void apply_symlinkUpAndOut_clampedAtRoot() throws IOException {
    apply(tar().dir("etc", 0755).dir("dummy", 0755).symlink("/dummy/../etc", "localetc")
        .file("/localetc/unbroken", "unbroken", 0644));
    assertEquals("unbroken", read("etc/unbroken"));
  }

  @Test
  void apply_symlinkMultipleAbsolute_resolvesInsideRoot() throws IOException {
    apply(tar().dir("etc", 0755).dir("dummy", 0755).symlink("/etc", "/dummy/etc")
        .symlink("/dummy/etc", "localetc").file("/dummy/etc/unbroken", "unbroken", 0644));
    assertEquals("unbroken", read("etc/unbroken"));
  }

  @Test
  void apply_symlinkMultipleRelative_resolvesInsideRoot() throws IOException {
    apply(tar().dir("etc", 0755).dir("dummy", 0755).symlink("/etc", "/dummy/etc")
        .symlink("./dummy/etc", "localetc").file("/dummy/etc/unbroken", "unbroken", 0644));
    assertEquals("unbroken", read("etc/unbroken"));
  }

  @Test
  void apply_symlinkEmptyFile_truncatesInsideRoot() throws IOException {
    apply(tar().dir("etc", 0755).file("etc/emptied", "notempty", 0644)
        .symlink("/etc", "localetc").file("/localetc/emptied", "", 0644));
    assertEquals("", read("etc/emptied"));
  }

  @Test
  void apply_symlinkParentDirectory_refused() {
    UnsafeLayerException e = refused(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("/etc/", "..").link("/etc/passwd", "localpasswd"));
    assertEquals("..", e.entryName());
    assertEquals("path leaves the root", e.reason());
  }

  @Test
  void apply_symlinkEmptyFilename_refused() {
    UnsafeLayerException e = refused(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("/etc/", "").link("/etc/passwd", "localpasswd"));
    assertEquals("entry would replace the root directory", e.reason());
    assertTrue(Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void apply_symlinkParentRelative_cleanedBeforeResolving() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("/etc/", "localetc/sub/..").link("/etc/passwd", "/localetc/localpasswd"));
    assertSameInode("etc/localpasswd", "etc/passwd");
  }

  @Test
  void apply_symlinkSlashEnded_directoryCreated() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644).dir("localetc/", 0770)
        .link("/etc/passwd", "/localetc/localpasswd"));
    assertSameInode("localetc/localpasswd", "etc/passwd");
  }

  @Test
  void apply_symlinkOverrideDirectory_replacesDirectory() throws IOException {
    lower("etc/passwd", "inside");
    Files.createDirectory(root.resolve("localetc"));
    apply(tar().symlink("/etc", "localetc").link("/etc/passwd", "/localetc/localpasswd"));
    assertTrue(Files.isSymbolicLink(root.resolve("localetc")));
    assertSameInode("etc/localpasswd", "etc/passwd");
  }

  @Test
  void apply_symlinkOverrideDirectoryRelative_replacesDirectory() throws IOException {
    lower("etc/passwd", "inside");
    Files.createDirectory(root.resolve("localetc"));
    apply(tar().symlink("../../etc", "localetc").link("/etc/passwd", "/localetc/localpasswd"));
    assertSameInode("etc/localpasswd", "etc/passwd");
  }

  @Test
  void apply_symlinkOverridePath_replacesLinkNotTarget() throws IOException {
    lower("etc/passwd", "inside");
    Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
    apply(tar().file("passwd", "replaced", 0644));
    assertFalse(Files.isSymbolicLink(root.resolve("passwd")));
    assertEquals("replaced", read("passwd"));
    assertEquals("inside", read("etc/passwd"));
  }

  // --- hardlinks ---

  @Test
  void apply_hardlinkRelative_clampedAtRoot() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644).dir("breakouts", 0755)
        .symlink("../../etc", "breakouts/d1").link("/breakouts/d1/passwd", "breakouts/mypasswd"));
    assertSameInode("breakouts/mypasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkDownAndOut_clampedAtRoot() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644).dir("breakouts", 0755)
        .dir("downandout", 0755).symlink("../downandout/../../etc", "breakouts/d1")
        .link("/breakouts/d1/passwd", "breakouts/mypasswd"));
    assertSameInode("breakouts/mypasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkAbsolute_throughRerootedSymlink() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("/etc", "localetc").link("/localetc/passwd", "localpasswd"));
    assertSameInode("localpasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkRelativeLong_clampedAtRoot() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("../../../../../../../etc", "localetc").link("/localetc/passwd", "localpasswd"));
    assertSameInode("localpasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkRelativeUpAndOut_clampedAtRoot() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("upandout/../../../etc", "localetc").link("/localetc/passwd", "localpasswd"));
    assertSameInode("localpasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkDirectRelative_clampedAtRoot() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .link("../../../../../etc/passwd", "localpasswd"));
    assertSameInode("localpasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkDirectAbsolute_insideRoot() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .link("/etc/passwd", "localpasswd"));
    assertSameInode("localpasswd", "etc/passwd");
  }

  @Test
  void apply_hardlinkSymlinkBeforeCreateTarget_linksTheSymlink() throws IOException {
    apply(tar().dir("etc", 0770).symlink("/etc/passwd", "localpasswd")
        .link("localpasswd", "localpasswd-dup").file("/etc/passwd", "after", 0644));
    assertTrue(Files.isSymbolicLink(root.resolve("localpasswd-dup")));
    assertSameInode("localpasswd-dup", "localpasswd");
    assertEquals("after", read("etc/passwd"));
  }

  @Test
  void apply_hardlinkSymlinkRelative_linksTheSymlink() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("../../../../../etc/passwd", "passwdlink").link("/passwdlink", "localpasswd"));
    assertTrue(Files.isSymbolicLink(root.resolve("localpasswd")));
    assertSameInode("localpasswd", "passwdlink");
  }

  @Test
  void apply_hardlinkSymlinkAbsolute_linksTheSymlink() throws IOException {
    apply(tar().dir("etc", 0770).file("/etc/passwd", "inside", 0644)
        .symlink("/etc/passwd", "passwdlink").link("/passwdlink", "localpasswd"));
    assertTrue(Files.isSymbolicLink(root.resolve("localpasswd")));
    assertSameInode("localpasswd", "passwdlink");
  }

  @Test
  void apply_hardlinkSymlinkChmod_outsideModeUnchanged() throws IOException {
    String perm400 = sentinels.outside().resolve("perm400").toString();
    String existsOutside = sentinels.outside().resolve("also-exists-outside-root").toString();
    apply(tar().symlink(perm400, existsOutside).link(existsOutside, "sketchylink"));
    assertTrue(Files.isSymbolicLink(root.resolve("sketchylink")));
    // The sentinel check proves perm400 kept mode 0400 and its ctime.
  }

  @Test
  void apply_hardlinkToMissingTarget_refused() {
    UnsafeLayerException e = refused(tar().link("/etc/shadow", "copy"));
    assertTrue(e.reason().contains("does not exist"), e.reason());
  }

  @Test
  void apply_hardlinkBelowAFile_refused() {
    UnsafeLayerException e = refused(tar().file("f", "x", 0644).link("f/g", "copy"));
    assertTrue(e.reason().contains("does not exist"), e.reason());
  }

  @Test
  void apply_hardlinkToDirectory_refused() {
    UnsafeLayerException e = refused(tar().dir("etc", 0755).link("etc", "etc2"));
    assertEquals("hardlink target is a directory", e.reason());
  }

  @Test
  void apply_hardlinkToOutsideFileByHostPath_staysInRoot() throws IOException {
    String secret = sentinels.outside().resolve("secret").toString();
    UnsafeLayerException e = refused(tar().link(secret, "stolen"));
    assertTrue(e.reason().contains("does not exist"), e.reason());
  }

  // --- directories over symlinks ---

  @Test
  void apply_directoryOverrideSymlink_replacesSymlink() throws IOException {
    lower("etc/passwd", "inside");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("/etc"));
    apply(tar().dir("/localetc/", 0755).link("/etc/passwd", "/localetc/localpasswd"));
    assertTrue(Files.isDirectory(root.resolve("localetc"), LinkOption.NOFOLLOW_LINKS));
    assertSameInode("localetc/localpasswd", "etc/passwd");
  }

  @Test
  void apply_directoryOverrideSymlinkAndHardlink_writesNewFile() throws IOException {
    lower("etc/passwd", "inside");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("etc"));
    Files.createLink(root.resolve("etc/localpasswd"), root.resolve("etc/passwd"));
    apply(tar().dir("/localetc/", 0755).file("/localetc/localpasswd", "different", 0644));
    assertEquals("different", read("localetc/localpasswd"));
    assertEquals("inside", read("etc/passwd"));
    assertNotEquals(inode("localetc/localpasswd"), inode("etc/passwd"));
  }

  // --- whiteouts ---

  @Test
  void apply_whiteoutRootParent_refused() throws IOException {
    lower("etc/passwd", "inside");
    assertEquals("whiteout target leaves its directory",
        refused(tar().whiteout(".wh...")).reason());
    assertEquals("inside", read("etc/passwd"));
  }

  @Test
  void apply_whiteoutParent_refused() throws IOException {
    lower("etc/passwd", "inside");
    refused(tar().whiteout("etc/.wh..."));
    assertEquals("inside", read("etc/passwd"));
  }

  @Test
  void apply_whiteoutRoot_refused() throws IOException {
    lower("etc/passwd", "inside");
    refused(tar().whiteout(".wh.."));
    assertEquals("inside", read("etc/passwd"));
  }

  @Test
  void apply_whiteoutCurrentDirectory_refused() throws IOException {
    lower("etc/passwd", "inside");
    refused(tar().whiteout("etc/.wh.."));
    assertEquals("inside", read("etc/passwd"));
  }

  @Test
  void apply_whiteoutEmptyName_refused() {
    assertEquals("whiteout \".wh.\" names nothing", refused(tar().whiteout("etc/.wh.")).reason());
  }

  @Test
  void apply_whiteoutSymlink_removesLinkOnly() throws IOException {
    lower("etc/passwd", "all users");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("/etc"));
    apply(tar().whiteout(".wh.localetc"));
    assertEquals("all users", read("etc/passwd"));
    assertFalse(Files.exists(root.resolve("localetc"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void apply_whiteoutSymlinkPath_removesInsideRoot() throws IOException {
    lower("etc/passwd", "all users");
    lower("etc/whitedout", "ahhhh whiteout");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("/etc"));
    apply(tar().whiteout("localetc/.wh.whitedout"));
    assertEquals("all users", read("etc/passwd"));
    assertFalse(Files.exists(root.resolve("etc/whitedout")));
  }

  @Test
  void apply_whiteoutDirectoryName_isAnOrdinaryDirectory() throws IOException {
    lower("etc/passwd", "all users");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("/etc"));
    apply(tar().file(".wh.etc/somefile", "non-empty", 0644));
    assertEquals("all users", read("etc/passwd"));
    assertEquals("non-empty", read(".wh.etc/somefile"));
  }

  @Test
  void apply_whiteoutDeadSymlinkParent_noOp() throws IOException {
    lower("etc/passwd", "all users");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("/dne"));
    apply(tar().whiteout("localetc/.wh.etc"));
    assertEquals("all users", read("etc/passwd"));
    assertFalse(Files.exists(root.resolve("dne"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void apply_whiteoutRelativePath_cleanedToRoot() throws IOException {
    lower("etc/passwd", "all users");
    Files.createSymbolicLink(root.resolve("localetc"), Path.of("/dne"));
    apply(tar().whiteout("dne/../.wh.etc"));
    assertFalse(Files.exists(root.resolve("etc")));
  }

  @Test
  void apply_whiteoutThroughSymlinkToOutside_deletesNothingOutside() throws IOException {
    Files.createSymbolicLink(root.resolve("out"), sentinels.outside());
    apply(tar().whiteout("out/.wh.secret").whiteout("out/etc/.wh..wh..opq"));
  }

  @Test
  void apply_overlayWhiteoutThroughSymlinkToOutside_marksInsideRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("out"), sentinels.outside());
    LayerApplier.apply(tar().whiteout("out/.wh.secret").whiteout("out/etc/.wh..wh..opq").stream(),
        root, ApplyOptions.overlay());
    Path inRoot = root.resolve(sentinels.outside().toString().substring(1));
    assertTrue(Files.exists(inRoot.resolve("secret"), LinkOption.NOFOLLOW_LINKS));
  }

  // --- links planted by an earlier layer ---

  @Test
  void apply_earlierLayerSymlinkToSlash_laterFileStaysInRoot() throws IOException {
    apply(tar().symlink("/", "etc"));
    apply(tar().file("etc/passwd", "pwned", 0644));
    assertEquals("pwned", read("passwd"));
    assertTrue(Files.isSymbolicLink(root.resolve("etc")));
  }

  @Test
  void apply_earlierLayerSymlinkToHostPath_reRooted() throws IOException {
    apply(tar().symlink(sentinels.outside().toString(), "out"));
    apply(tar().file("out/secret", "pwned", 0644).file("out/etc/passwd", "pwned", 0644));
    Path inRoot = root.resolve(sentinels.outside().toString().substring(1));
    assertEquals("pwned", Files.readString(inRoot.resolve("secret")));
  }

  @Test
  void apply_earlierLayerRelativeEscape_clamped() throws IOException {
    apply(tar().symlink("../../../../../outside", "up").symlink("../root2", "sib"));
    apply(tar().file("up/secret", "pwned", 0644).file("sib/etc/passwd", "pwned", 0644));
    assertEquals("pwned", read("outside/secret"));
    assertEquals("pwned", read("root2/etc/passwd"));
  }

  @Test
  void apply_fileOverSymlinkToOutside_replacesLink() throws IOException {
    apply(tar().symlink(sentinels.outside().resolve("secret").toString(), "secret"));
    apply(tar().file("secret", "pwned", 0600));
    assertFalse(Files.isSymbolicLink(root.resolve("secret")));
    assertEquals("pwned", read("secret"));
  }

  @Test
  void apply_fileOverDirectoryHoldingOutsideLink_deletesOnlyTheLink() throws IOException {
    apply(tar().dir("d", 0755).symlink(sentinels.outside().toString(), "d/x")
        .symlink("../../outside", "d/y"));
    apply(tar().file("d", "now a file", 0644).whiteout(".wh.gone"));
    assertEquals("now a file", read("d"));
  }

  @Test
  void apply_whiteoutOfDirectoryHoldingOutsideLink_deletesOnlyTheLink() throws IOException {
    Files.createDirectory(root.resolve("d"));
    Files.createSymbolicLink(root.resolve("d/x"), sentinels.outside());
    apply(tar().whiteout(".wh.d"));
    assertFalse(Files.exists(root.resolve("d"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void apply_symlinkLoop_refused() {
    UnsafeLayerException e =
        refused(tar().symlink("b", "a").symlink("a", "b").file("a/x", "", 0644));
    assertTrue(e.reason().contains("symlinks on the path"), e.reason());
  }

  // --- names ---

  @Test
  void apply_dotDotName_refusedWithEntryInMessage() {
    UnsafeLayerException e = refused(tar().file("../../etc/passwd", "pwned", 0644));
    assertEquals("../../etc/passwd", e.entryName());
    assertEquals("refused layer entry \"../../etc/passwd\": path leaves the root", e.problem());
    assertFalse(e.hint().isEmpty());
  }

  @Test
  void apply_dotDotInsideRoot_cleaned() throws IOException {
    apply(tar().file("a/../b", "b", 0644).file("./c/./d", "d", 0644));
    assertEquals("b", read("b"));
    assertEquals("d", read("c/d"));
  }

  @Test
  void apply_absoluteHostName_landsInRoot() throws IOException {
    String secret = sentinels.outside().resolve("secret").toString();
    apply(tar().file(secret, "pwned", 0644).file("//" + secret + "2", "pwned", 0644));
    assertEquals("pwned", read(secret.substring(1)));
    assertEquals("pwned", read(secret.substring(1) + "2"));
  }

  @Test
  void apply_nameOver4096Bytes_refused() {
    String longName = "a/".repeat(2100) + "f";
    UnsafeLayerException e = refused(tar().file(longName, "x", 0644));
    assertTrue(e.reason().contains("over the 4096 limit"), e.reason());
    assertTrue(e.problem().length() < 400, "message is shortened");
  }

  @Test
  void apply_controlCharactersInName_escapedInMessage() {
    UnsafeLayerException e = refused(tar().file("../\u001b[2Jevil", "x", 0644));
    assertFalse(e.getMessage().contains("\u001b"));
    assertTrue(e.getMessage().contains("\\x1b"), e.getMessage());
  }

  // --- conflicting entries ---

  @Test
  void apply_fileThenChildOfFile_refused() throws IOException {
    UnsafeLayerException e = refused(tar().file("a", "file", 0644).file("a/b", "x", 0644));
    assertEquals("parent \"a\" is not a directory", e.reason());
    assertEquals("file", read("a"));
  }

  @Test
  void apply_duplicateEntries_lastWins() throws IOException {
    ApplyReport report = apply(tar().file("f", "one", 0644).file("f", "two", 0600)
        .symlink("f", "l").file("l", "now a file", 0644)
        .file("s", "was a file", 0644).symlink("f", "s")
        .dir("d", 0700).file("d/child", "c", 0644).file("d", "file wins", 0644)
        .file("e", "file", 0644).dir("e", 0711));
    assertEquals("two", read("f"));
    assertEquals("now a file", read("l"));
    assertTrue(Files.isSymbolicLink(root.resolve("s")));
    assertEquals("file wins", read("d"));
    assertTrue(Files.isDirectory(root.resolve("e"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(0711, mode("e"));
    assertEquals(0600, mode("f"));
    assertEquals(2, report.directories());
  }

  // --- helpers ---

  private ApplyReport apply(TestTars layer) throws IOException {
    return LayerApplier.apply(layer.stream(), root, ApplyOptions.defaults());
  }

  private UnsafeLayerException refused(TestTars layer) {
    return assertThrows(UnsafeLayerException.class, () -> apply(layer));
  }

  private void lower(String name, String content) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private String read(String name) throws IOException {
    Path p = root.resolve(name);
    assertTrue(p.toRealPath().startsWith(root.toRealPath()), name + " resolves outside root");
    return Files.readString(p);
  }

  private Object inode(String name) throws IOException {
    return Files.getAttribute(root.resolve(name), "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  private int mode(String name) throws IOException {
    return (int) Files.getAttribute(root.resolve(name), "unix:mode", LinkOption.NOFOLLOW_LINKS)
        & 07777;
  }

  private void assertSameInode(String a, String b) throws IOException {
    assertEquals(inode(b), inode(a), a + " and " + b + " should be one inode");
  }
}
