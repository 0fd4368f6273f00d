package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Files planted around an extraction root, and a fingerprint of everything outside the root
 * (type, mode, owner, mtime, content hash, link target) to prove that nothing there changed.
 */
final class OutsideSentinels {
  private final Path base;
  private final Path root;
  private final Map<String, String> before;

  /** Plants {@code base/outside/...} and a sibling {@code base/root2} next to {@code base/root}. */
  OutsideSentinels(Path base, Path root) throws IOException {
    this.base = base;
    this.root = root;
    Path outside = Files.createDirectories(base.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createDirectories(outside.resolve("etc"));
    Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0");
    Files.writeString(outside.resolve("etc/whitedout"), "keep");
    Files.writeString(outside.resolve("perm400"), "...");
    Files.setPosixFilePermissions(outside.resolve("perm400"),
        java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    Files.writeString(outside.resolve("also-exists-outside-root"), "...");
    // A sibling whose name extends the root's: catches string-prefix containment checks.
    Files.createDirectories(base.resolve("root2/etc"));
    Files.writeString(base.resolve("root2/etc/passwd"), "sibling");
    FileTime old = FileTime.from(Instant.parse("2011-11-11T11:11:11Z"));
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.filter(p -> !p.startsWith(root)).toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
    this.before = fingerprint();
  }

  Path outside() {
    return base.resolve("outside");
  }

  void assertUnchanged() throws IOException {
    Map<String, String> after = fingerprint();
    if (!before.equals(after)) {
      // Only what differs: a whole tree's fingerprint hides the one line that matters.
      Map<String, String> was = new TreeMap<>(before);
      Map<String, String> now = new TreeMap<>(after);
      was.entrySet().removeIf(e -> e.getValue().equals(after.get(e.getKey())));
      now.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
      assertEquals(was, now, "something outside the root changed");
    }
  }

  private Map<String, String> fingerprint() throws IOException {
    Map<String, String> prints = new TreeMap<>();
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.filter(p -> !p.startsWith(root)).toList()) {
        prints.put(base.relativize(p).toString(), describe(p));
      }
    }
    return prints;
  }

  private static String describe(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    StringBuilder s = new StringBuilder();
    s.append(Integer.toOctalString((int) a.get("mode")))
        .append(' ').append(a.get("uid")).append(':').append(a.get("gid"))
        .append(' ').append(a.get("lastModifiedTime"))
        .append(' ').append(a.get("ino"))
        .append(" ").append(a.get("nlink"))
        .append(" ctime=").append(a.get("ctime"));
    if (Files.isSymbolicLink(p)) {
      s.append(" -> ").append(Files.readSymbolicLink(p));
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      s.append(" sha256:").append(sha256(Files.readAllBytes(p)));
    }
    return s.toString();
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
