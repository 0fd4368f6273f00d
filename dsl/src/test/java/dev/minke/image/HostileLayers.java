package dev.minke.image;

import static dev.minke.image.TestTars.paxRecord;
import static dev.minke.image.TestTars.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A corpus of malicious layer tars, one {@link Case} per trick, covering every breakout class of
 * research §3.4: traversal, absolute names, symlink and hardlink escapes, links planted by a
 * lower layer and written through by an upper one, whiteouts through links, devices, huge and
 * malformed headers, duplicate and conflicting entries, and compression bombs.
 *
 * <p>Tars that aim at the host name {@code outside}, the absolute path of a sentinel directory
 * next to the extraction root, so that a breakout would hit something the test watches. {@code
 * HostileLayers <outside-dir> <corpus-dir>} writes the corpus to disk for use with other tools.
 * Longer than most classes: it is a table of cases, one short method call each.
 */
final class HostileLayers {
  /** What a correct {@code minke layer apply} does with a case. */
  enum Outcome {
    /** Exit 0, everything written inside the root. */
    APPLIES,
    /** Exit 1 with a one-line reason. */
    REFUSED,
    /** Either of the above is safe. */
    EITHER
  }

  /** One hostile input: layers applied in order to the same directory, with CLI flags. */
  record Case(String name, String breakoutClass, Outcome outcome, List<String> flags, List<byte[]> layers) {}

  private final String out;
  private final List<Case> cases = new ArrayList<>();

  private HostileLayers(Path outside) {
    this.out = outside.toAbsolutePath().toString();
  }

  /** Every case, aimed at the sentinel directory {@code outside}. */
  static List<Case> cases(Path outside) {
    HostileLayers c = new HostileLayers(outside);
    c.traversal();
    c.absolute();
    c.symlinks();
    c.hardlinks();
    c.plantedByLowerLayer();
    c.whiteouts();
    c.devices();
    c.hugeHeaders();
    c.conflicts();
    c.compression();
    return List.copyOf(c.cases);
  }

  public static void main(String[] args) throws IOException {
    Path corpus = Path.of(args[1]);
    int n = 0;
    for (Case c : cases(Path.of(args[0]))) {
      Path dir = Files.createDirectories(corpus.resolve(String.format("%03d-%s", n++, c.name())));
      for (int i = 0; i < c.layers().size(); i++) {
        Files.write(dir.resolve("layer" + i + ".tar"), c.layers().get(i));
      }
      Files.writeString(dir.resolve("expect"), c.outcome() + " " + String.join(" ", c.flags()) + "\n");
    }
  }

  private void traversal() {
    refused("traversal", "dotdot-file", tar().file("../escaped", "pwned", 0644));
    refused("traversal", "dotdot-deep", tar().dir("a", 0755).file("a/../../escaped", "pwned", 0644));
    refused("traversal", "dotdot-to-outside", tar().file("../../../../../../../.." + out + "/secret", "pwned", 0644));
    refused("traversal", "dotdot-dir", tar().dir("../newdir", 0777));
    refused("traversal", "dotdot-symlink-name", tar().symlink(out, "../link"));
    refused("traversal", "dotdot-hardlink-name", tar().file("f", "x", 0644).link("f", "../hl"));
    refused("traversal", "dotdot-whiteout", tar().whiteout("../outside/.wh.secret"));
    applies("traversal", "dotdot-inside-cleaned", tar().dir("a", 0755).file("a/../inside", "ok", 0644));
    applies("traversal", "backslash-is-a-name", tar().file("..\\..\\escaped", "x", 0644));
  }

  private void absolute() {
    applies("absolute", "absolute-file", tar().file(out + "/secret", "pwned", 0644));
    applies("absolute", "absolute-dir-mode", tar().dir(out, 0777).dir(out + "/etc", 0777));
    applies("absolute", "double-slash", tar().file("//" + out + "/etc/passwd", "pwned", 0644));
    applies("absolute", "absolute-symlink-rerooted", tar().symlink(out, "o").file("o/secret", "pwned", 0644));
    refused("absolute", "absolute-hardlink-to-host", tar().link(out + "/secret", "h"));
  }

  private void symlinks() {
    applies("symlink", "symlink-dir-then-file", tar().symlink(out, "esc").file("esc/pwned", "x", 0644)
        .file("esc/secret", "pwned", 0644));
    applies("symlink", "symlink-relative-up-then-file",
        tar().symlink("../../../../../../../..", "esc").file("esc" + out + "/secret", "pwned", 0644));
    applies("symlink", "symlink-slash-then-file", tar().symlink("/", "esc").file("esc" + out + "/secret", "pwned", 0644));
    applies("symlink", "symlink-chain", tar().symlink("b", "a").symlink("../../..", "b")
        .file("a" + out + "/etc/passwd", "pwned", 0644));
    refused("symlink", "symlink-loop", tar().symlink("b", "a").symlink("a", "b").file("a/x", "x", 0644));
    applies("symlink", "symlink-file-then-file", tar().symlink(out + "/secret", "s").file("s", "pwned", 0644));
    applies("symlink", "symlink-dir-then-dir", tar().symlink(out, "d").dir("d", 0777).dir("d/etc", 0777));
    applies("symlink", "symlink-then-hardlink-then-write", tar().symlink(out + "/secret", "s").link("s", "h")
        .file("h", "pwned", 0644));
    applies("symlink", "symlink-then-symlink-through", tar().symlink(out, "d").symlink("/etc", "d/newlink"));
    refused("symlink", "symlink-as-root", tar().symlink(out, "./"));
    applies("symlink", "symlink-to-proc-self-root", tar().symlink("/proc/self/root" + out, "p")
        .file("p/secret", "pwned", 0644));
    applies("symlink", "symlink-target-4000-dotdots", tar().symlink("../".repeat(1300), "d")
        .file("d/x", "x", 0644));
    applies("symlink", "symlink-mode-chmod", tar().symlink(out + "/perm400", "s").dir("s", 0777));
  }

  private void hardlinks() {
    refused("hardlink", "hardlink-relative-out", tar().link("../../../outside/secret", "h"));
    refused("hardlink", "hardlink-through-symlink-dir", tar().symlink(out, "d").link("d/secret", "h"));
    refused("hardlink", "hardlink-to-root", tar().link("/", "h"));
    refused("hardlink", "hardlink-to-dot", tar().link(".", "h"));
    refused("hardlink", "hardlink-to-later-entry", tar().link("later", "h").file("later", "x", 0644));
    refused("hardlink", "hardlink-to-directory", tar().dir("d", 0755).link("d", "h"));
    applies("hardlink", "hardlink-to-symlink-to-outside", tar().symlink(out + "/secret", "s").link("s", "h"));
    applies("hardlink", "hardlink-chmod-via-symlink", tar().symlink(out + "/perm400", "s")
        .add(withMode(TestTars.entry("h", TarConstants.LF_LINK), "s", 07777), new byte[0]));
    either("hardlink", "hardlink-with-data", tar().file("f", "x", 0644)
        .add(withMode(TestTars.entry("h", TarConstants.LF_LINK), "f", 0644), "pwned".getBytes(StandardCharsets.UTF_8)));
    refused("hardlink", "hardlink-below-a-file", tar().file("f", "x", 0644).link("f/x", "h"));
    applies("hardlink", "hardlink-then-file-same-name", tar().file("f", "x", 0644).link("f", "h").file("h", "new", 0644));
  }

  private void plantedByLowerLayer() {
    applies("planted", "lower-symlink-upper-file", layers(tar().symlink(out + "/etc", "etc"),
        tar().file("etc/passwd", "pwned", 0644)));
    applies("planted", "lower-relative-symlink-upper-file", layers(tar().symlink("../../../..", "up"),
        tar().file("up" + out + "/secret", "pwned", 0644)));
    applies("planted", "lower-symlink-upper-replaces", layers(tar().dir("d", 0755).symlink(out + "/secret", "d/x"),
        tar().file("d/x", "pwned", 0644)));
    applies("planted", "lower-symlink-upper-dir", layers(tar().symlink(out, "lnk"), tar().dir("lnk/sub", 0777)));
    applies("planted", "lower-symlink-upper-symlink", layers(tar().symlink(out, "d"), tar().symlink("/etc", "d/new")));
    refused("planted", "lower-symlink-upper-hardlink", layers(tar().symlink(out, "d"), tar().link("d/secret", "h")));
    applies("planted", "lower-symlink-upper-hardlink-into", layers(tar().file("f", "x", 0644).symlink(out, "d"),
        tar().link("f", "d/h")));
    applies("planted", "lower-symlink-upper-device", layers(tar().symlink(out, "d"),
        tar().node("d/null", TarConstants.LF_CHR, 0666, 1, 3)));
    applies("planted", "lower-symlink-upper-fifo", layers(tar().symlink(out, "d"),
        tar().node("d/fifo", TarConstants.LF_FIFO, 0666, 0, 0)));
    applies("planted", "lower-hardlink-upper-write", layers(tar().file("f", "lower", 0644).link("f", "g"),
        tar().file("g", "upper", 0644)));
    applies("planted", "lower-symlink-chain-upper-file", layers(tar().symlink("b", "a"),
        tar().symlink(out, "b"), tar().file("a/secret", "pwned", 0644)));
    applies("planted", "lower-dir-upper-symlink-then-file", layers(tar().dir("etc", 0755).file("etc/f", "x", 0644),
        tar().symlink(out + "/etc", "etc").file("etc/passwd", "pwned", 0644)));
  }

  private void whiteouts() {
    applies("whiteout", "whiteout-through-lower-symlink", layers(tar().symlink(out, "lnk"),
        tar().whiteout("lnk/.wh.secret")));
    applies("whiteout", "opaque-through-lower-symlink", layers(tar().symlink(out, "lnk"),
        tar().whiteout("lnk/.wh..wh..opq")));
    applies("whiteout", "whiteout-of-the-link", layers(tar().symlink(out, "lnk"), tar().whiteout(".wh.lnk")));
    applies("whiteout", "whiteout-through-same-layer-symlink", tar().symlink(out + "/etc", "e")
        .whiteout("e/.wh.passwd"));
    applies("whiteout", "whiteout-through-dotdot-symlink", tar().symlink("../..", "up")
        .whiteout("up/outside/.wh.secret"));
    refused("whiteout", "whiteout-dotdot", tar().whiteout(".wh..."));
    refused("whiteout", "whiteout-dot", tar().whiteout(".wh.."));
    refused("whiteout", "whiteout-empty", tar().whiteout(".wh."));
    applies("whiteout", "opaque-root", layers(tar().file("keep", "x", 0644), tar().whiteout(".wh..wh..opq")));
    applies("whiteout", "whiteout-absolute-host-path", tar().whiteout(out + "/.wh.secret"));
    applies("whiteout", "whiteout-dir-holding-outside-link", layers(
        tar().dir("d", 0755).symlink(out, "d/l").symlink(out + "/secret", "d/s"), tar().whiteout(".wh.d")));
    List<String> overlay = List.of("--overlay");
    add("whiteout", "overlay-whiteout-through-lower-symlink", Outcome.APPLIES, overlay,
        List.of(tar().symlink(out, "lnk").bytes(), tar().whiteout("lnk/.wh.secret").bytes()));
    add("whiteout", "overlay-opaque-through-lower-symlink", Outcome.APPLIES, overlay,
        List.of(tar().symlink(out, "lnk").bytes(), tar().whiteout("lnk/.wh..wh..opq").bytes()));
    add("whiteout", "overlay-whiteout-dotdot", Outcome.REFUSED, overlay, List.of(tar().whiteout("../.wh.outside").bytes()));
  }

  private void devices() {
    applies("device", "char-device", tar().node("mem", TarConstants.LF_CHR, 0666, 1, 1));
    applies("device", "block-device", tar().node("sda", TarConstants.LF_BLK, 0666, 8, 0));
    applies("device", "fifo", tar().node("fifo", TarConstants.LF_FIFO, 0666, 0, 0));
    applies("device", "device-through-symlink", tar().symlink(out, "d").node("d/mem", TarConstants.LF_CHR, 0666, 1, 1));
    applies("device", "setuid-device", tar().node("kmsg", TarConstants.LF_CHR, 06777, 1, 11));
    refused("device", "device-dotdot", tar().node("../mem", TarConstants.LF_CHR, 0666, 1, 1));
    refused("device", "device-huge-numbers", raw(new RawTarHeader("dev", '3')
        .base256(RawTarHeader.DEV_MAJOR, Long.MAX_VALUE, 8).base256(RawTarHeader.DEV_MINOR, -1, 8).tar(new byte[0])));
    either("device", "unknown-type-socket-like", raw(new RawTarHeader("sock", 'S').tar(new byte[0])));
    either("device", "unknown-type-z", raw(new RawTarHeader("z", 'Z').size(5).tar("pwned".getBytes(StandardCharsets.UTF_8))));
  }

  private void hugeHeaders() {
    byte[] twoMiB = "a/".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
    refused("huge", "pax-path-2mib", tar().pax(paxRecord("path", twoMiB)).file("short", "x", 0644));
    byte[] longName = ("d/".repeat(200_000) + "f").getBytes(StandardCharsets.UTF_8);
    refused("huge", "pax-path-400kib", tar().pax(paxRecord("path", longName)).file("short", "x", 0644));
    refused("huge", "pax-linkpath-huge", tar().pax(paxRecord("linkpath", twoMiB)).symlink("x", "s"));
    refused("huge", "gnu-longname-2mib", raw(gnuLong('L', twoMiB, new RawTarHeader("short", '0'))));
    refused("huge", "gnu-longlink-2mib", raw(gnuLong('K', twoMiB, new RawTarHeader("s", '2'))));
    refused("huge", "pax-header-declares-8gib", raw(new RawTarHeader("PaxHeaders/x", 'x')
        .size(8L << 30).bytes(false), new byte[4096]));
    refused("huge", "gnu-longname-declares-negative", raw(new RawTarHeader("././@LongLink", 'L')
        .base256(RawTarHeader.SIZE, -1, 12).bytes(false), new byte[4096]));
    refused("huge", "pax-size-overflow", tar().pax(paxRecord("size", "99999999999999999999999".getBytes(StandardCharsets.US_ASCII)))
        .file("f", "x", 0644));
    refused("huge", "pax-size-negative", tar().pax(paxRecord("size", "-1".getBytes(StandardCharsets.US_ASCII)))
        .file("f", "x", 0644));
    refused("huge", "pax-record-length-lies", tar().pax("999999 path=x\n".getBytes(StandardCharsets.US_ASCII))
        .file("f", "x", 0644));
    refused("huge", "pax-path-with-nul", tar().pax(paxRecord("path", "ok\0../../x".getBytes(StandardCharsets.UTF_8)))
        .file("f", "x", 0644));
    refused("huge", "size-8gib-truncated", raw(new RawTarHeader("big", '0').size(077777777777L).bytes(false),
        new byte[8192]));
    refused("huge", "size-base256-2pow62", raw(new RawTarHeader("big", '0').base256(RawTarHeader.SIZE, 1L << 62, 12)
        .bytes(false), new byte[8192]));
    refused("huge", "size-base256-negative", raw(new RawTarHeader("neg", '0').base256(RawTarHeader.SIZE, -512, 12)
        .bytes(false), new byte[8192]));
    refused("huge", "uid-negative", raw(new RawTarHeader("u", '0').base256(RawTarHeader.UID, -2, 8).tar(new byte[0])));
    either("huge", "uid-over-32-bits", raw(new RawTarHeader("u", '0').base256(RawTarHeader.UID, 1L << 40, 8).tar(new byte[0])));
    either("huge", "mtime-base256-max", raw(new RawTarHeader("t", '0').base256(RawTarHeader.MTIME, Long.MAX_VALUE, 12)
        .tar(new byte[0])));
    either("huge", "mtime-negative", raw(new RawTarHeader("t", '0').base256(RawTarHeader.MTIME, -1L << 40, 12)
        .tar(new byte[0])));
    either("huge", "mode-all-bits", raw(new RawTarHeader("m", '0').octal(RawTarHeader.MODE, 07777777, 8)
        .tar(new byte[0])));
    refused("huge", "size-not-octal", raw(new RawTarHeader("n", '0').ascii(RawTarHeader.SIZE, "9x9x9x9x9x9", 12)
        .tar(new byte[0])));
    either("huge", "bad-checksum", raw(new RawTarHeader("c", '0').bytes(true), new byte[1024]));
    either("huge", "name-not-terminated", raw(new RawTarHeader("n".repeat(100), '0').tar(new byte[0])));
    refused("huge", "component-over-255", tar().file("x".repeat(300), "x", 0644));
    refused("huge", "name-over-4096", tar().file("d/".repeat(2100) + "f", "x", 0644));
    either("huge", "pax-many-xattrs", tar().pax(manyXattrs()).file("f", "x", 0644));
    either("huge", "gnu-sparse-huge-realsize", tar().pax(RawTarHeader.concat(
            paxRecord("GNU.sparse.major", "1".getBytes(StandardCharsets.US_ASCII)),
            paxRecord("GNU.sparse.minor", "0".getBytes(StandardCharsets.US_ASCII)),
            paxRecord("GNU.sparse.name", "sparse".getBytes(StandardCharsets.US_ASCII)),
            paxRecord("GNU.sparse.realsize", "9223372036854775807".getBytes(StandardCharsets.US_ASCII))))
        .file("GNUSparseFile.0/sparse", "", 0644));
  }

  private void conflicts() {
    applies("conflict", "file-then-dir", tar().file("x", "f", 0644).dir("x", 0755));
    applies("conflict", "dir-then-file", tar().dir("x", 0755).file("x/child", "c", 0644).file("x", "f", 0644));
    applies("conflict", "dir-then-symlink-then-file", tar().dir("x", 0755).symlink(out, "x").file("x/secret", "pwned", 0644));
    applies("conflict", "symlink-then-dir-then-file", tar().symlink(out, "x").dir("x", 0755).file("x/secret", "pwned", 0644));
    applies("conflict", "file-twice-setuid-last", tar().file("f", "a", 0644).file("f", "b", 04755));
    applies("conflict", "hardlink-to-itself", tar().file("f", "x", 0644).link("f", "f"));
    refused("conflict", "file-then-child", tar().file("f", "x", 0644).file("f/child", "y", 0644));
    applies("conflict", "dir-mode-0-then-children", tar().dir("d", 0).file("d/f", "x", 0644).dir("d/e", 0));
    applies("conflict", "dir-then-symlink-same-name-to-root", tar().dir("etc", 0755).file("etc/x", "x", 0644)
        .symlink("/", "etc").file("etc/y", "y", 0644));
    applies("conflict", "hardlink-then-target-replaced", tar().file("a", "x", 0644).link("a", "b").dir("a", 0755)
        .file("b", "new", 0644));
    applies("conflict", "thousand-duplicates", thousandDuplicates());
    refused("conflict", "hardlink-target-replaced-by-symlink-then-link", tar().file("a", "x", 0644)
        .symlink(out, "a").link("a/secret", "h"));
  }

  private void compression() {
    applies("compression", "gzip-of-zeros-256mib", gzipZeros(256L << 20));
    applies("compression", "gzip-64mib-file", gzip(tarWithZeroFile(64 << 20)));
    applies("compression", "gzip-concatenated-members", RawTarHeader.concat(
        gzip(tar().file("a", "a", 0644).bytes()), gzip(new byte[1024])));
    either("compression", "gzip-truncated", Arrays.copyOf(gzip(tar().file("a", "a".repeat(10000), 0644).bytes()), 40));
    either("compression", "gzip-bad-crc", corruptCrc(gzip(tar().file("a", "a", 0644).bytes())));
    either("compression", "zstd-magic-then-garbage", RawTarHeader.concat(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},
        random(4096)));
    either("compression", "random-bytes", random(10_000));
    applies("compression", "empty-file", new byte[0]);
  }

  // --- helpers ---

  private void applies(String breakoutClass, String name, Object layers) {
    add(breakoutClass, name, Outcome.APPLIES, List.of(), toLayers(layers));
  }

  private void refused(String breakoutClass, String name, Object layers) {
    add(breakoutClass, name, Outcome.REFUSED, List.of(), toLayers(layers));
  }

  private void either(String breakoutClass, String name, Object layers) {
    add(breakoutClass, name, Outcome.EITHER, List.of(), toLayers(layers));
  }

  private void add(String breakoutClass, String name, Outcome outcome, List<String> flags, List<byte[]> layers) {
    cases.add(new Case(name, breakoutClass, outcome, flags, layers));
  }

  private static List<byte[]> toLayers(Object layers) {
    if (layers instanceof TestTars t) {
      return List.of(t.bytes());
    }
    if (layers instanceof byte[] b) {
      return List.of(b);
    }
    @SuppressWarnings("unchecked")
    List<byte[]> list = (List<byte[]>) layers;
    return list;
  }

  private static List<byte[]> layers(TestTars... tars) {
    return Arrays.stream(tars).map(TestTars::bytes).toList();
  }

  /** Header and data blocks as given, then the end of archive. */
  private static byte[] raw(byte[]... parts) {
    return RawTarHeader.concat(RawTarHeader.concat(parts), new byte[2 * RawTarHeader.BLOCK]);
  }

  private static byte[] gnuLong(char type, byte[] name, RawTarHeader entry) {
    return RawTarHeader.concat(new RawTarHeader("././@LongLink", type).size(name.length).bytes(false),
        RawTarHeader.padded(name), entry.bytes(false));
  }

  private static org.apache.commons.compress.archivers.tar.TarArchiveEntry withMode(
      org.apache.commons.compress.archivers.tar.TarArchiveEntry e, String linkName, int mode) {
    e.setLinkName(linkName);
    e.setMode(mode);
    return e;
  }

  private static byte[] manyXattrs() {
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    for (int i = 0; records.size() < 900_000; i++) {
      records.writeBytes(paxRecord("SCHILY.xattr.user.x" + i, "v".getBytes(StandardCharsets.US_ASCII)));
    }
    return records.toByteArray();
  }

  private static TestTars thousandDuplicates() {
    TestTars t = tar();
    for (int i = 0; i < 1000; i++) {
      switch (i % 4) {
        case 0 -> t.file("x", "f" + i, 0644);
        case 1 -> t.dir("x", 0755);
        case 2 -> t.symlink(i % 8 == 2 ? "/" : "../..", "x");
        default -> t.file("x/y", "under", 0644);
      }
    }
    return t;
  }

  private static byte[] tarWithZeroFile(int bytes) {
    return new RawTarHeader("zeros", '0').size(bytes).tar(new byte[bytes]);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A gzip stream of {@code size} zero bytes: about a thousandth of that compressed. */
  private static byte[] gzipZeros(long size) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 20];
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16)) {
      for (long written = 0; written < size; written += chunk.length) {
        gz.write(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] corruptCrc(byte[] gzip) {
    byte[] copy = gzip.clone();
    copy[copy.length - 8] ^= 0x55; // The CRC32 is the trailer's first 4 bytes.
    return copy;
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
