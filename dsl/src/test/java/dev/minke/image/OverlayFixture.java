package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.minke.os.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two lower layers, an upper and a work directory under one temp dir, and real overlay mounts
 * of them; every mount is undone by {@link #close()}, which tests call from {@code @AfterEach}
 * so that no @TempDir cleanup ever walks into a live mount.
 *
 * <p>The lower layers are in overlay form: {@code lowerTop} deletes {@code etc/hosts} of
 * {@code lowerBottom} with a char 0/0 whiteout, as Minke's snapshots store them.
 */
final class OverlayFixture implements AutoCloseable {
  final Path lowerBottom;
  final Path lowerTop;
  final Path upper;
  final Path work;
  final Path merged;
  private final Path tmp;
  private final Deque<Path> mounts = new ArrayDeque<>();

  OverlayFixture(Path tmp) throws IOException {
    this.tmp = tmp;
    lowerBottom = Files.createDirectories(tmp.resolve("lower1"));
    lowerTop = Files.createDirectories(tmp.resolve("lower2"));
    upper = Files.createDirectories(tmp.resolve("upper"));
    work = Files.createDirectories(tmp.resolve("work"));
    merged = Files.createDirectories(tmp.resolve("merged"));
  }

  /** Whether this process can mount overlayfs (root, and the kernel has it). */
  static boolean canMount() throws IOException {
    return Posix.isRoot() && Files.readString(Path.of("/proc/filesystems")).contains("overlay");
  }

  /** The lower layers, topmost first as {@code lowerdir} lists them. */
  List<Path> lowers() {
    return List.of(lowerTop, lowerBottom);
  }

  void writeLowers() throws IOException {
    write(lowerBottom, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
    write(lowerBottom, "etc/hosts", "127.0.0.1 localhost\n", 0644);
    write(lowerBottom, "app/keep.txt", "keep\n", 0644);
    write(lowerBottom, "app/old.txt", "old\n", 0644);
    write(lowerBottom, "data/a", "a\n", 0600);
    write(lowerBottom, "data/sub/b", "b\n", 0644);
    write(lowerBottom, "bin/tool", "#!/bin/sh\necho tool\n", 0755);
    Files.createDirectories(lowerBottom.resolve("lib"));
    Files.write(lowerBottom.resolve("lib/big"), bytes(100_000));
    write(lowerTop, "etc/motd", "welcome\n", 0644);
    Posix.mknod(lowerTop.resolve("etc/hosts"), Posix.NodeType.CHAR, 0, 0, 0);
    write(lowerTop, "opt/x/y", "y\n", 0644);
    write(lowerTop, "app/config.json", "{}\n", 0640);
  }

  /** Mounts the standard overlay at {@link #merged} with extra options, e.g. "userxattr". */
  void mount(String... extraOptions) throws IOException {
    String options =
        "lowerdir=" + lowerTop + ":" + lowerBottom + ",upperdir=" + upper + ",workdir=" + work;
    for (String extra : extraOptions) {
      options += "," + extra;
    }
    mount(options, merged);
  }

  /** Mounts a read-only overlay of {@code lowers} (topmost first) at a new directory. */
  Path mountReadOnly(String name, Path... lowers) throws IOException {
    Path target = Files.createDirectories(tmp.resolve(name));
    StringBuilder options = new StringBuilder("lowerdir=");
    for (int i = 0; i < lowers.length; i++) {
      options.append(i == 0 ? "" : ":").append(lowers[i]);
    }
    mount(options.toString(), target);
    return target;
  }

  private void mount(String options, Path target) throws IOException {
    run("mount", "-t", "overlay", "overlay", "-o", options, target.toString());
    mounts.push(target);
  }

  /** Unmounts the most recent mount. */
  void unmount() throws IOException {
    run("umount", mounts.pop().toString());
  }

  /** What a container does: adds, modifies, deletes, replaces a dir, chmod/chown, links. */
  void changeMerged() throws IOException {
    write(merged, "app/new.txt", "new\n", 0644);
    write(merged, "srv/www/index.html", "<h1>hi</h1>\n", 0644);
    Files.writeString(merged.resolve("etc/passwd"), "app:x:1000:1000::/app:/bin/sh\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.delete(merged.resolve("app/old.txt"));
    run("rm", "-rf", merged.resolve("data").toString());
    write(merged, "data/fresh", "fresh\n", 0644);
    Posix.lchmod(merged.resolve("bin/tool"), 0700);
    Posix.lchown(merged.resolve("app/keep.txt"), 1000, 1000);
    Files.createLink(merged.resolve("app/new-link.txt"), merged.resolve("app/new.txt"));
    Files.createLink(merged.resolve("lib/big-link"), merged.resolve("lib/big"));
    Files.createSymbolicLink(merged.resolve("app/current"), Path.of("new.txt"));
    write(merged, "etc/hosts", "10.0.0.1 box\n", 0644);
    Files.delete(merged.resolve("opt/x/y"));
    Posix.lsetxattr(merged.resolve("app/new.txt"), "user.note", "hello".getBytes(StandardCharsets.UTF_8));
  }

  /** Lower layers written, mounted, changed, the merged view recorded, unmounted. */
  SortedMap<String, String> runContainer(String... extraOptions) throws IOException {
    writeLowers();
    mount(extraOptions);
    try {
      changeMerged();
      return listing(merged);
    } finally {
      unmount();
    }
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    while (!mounts.isEmpty()) {
      Path target = mounts.pop();
      try {
        run("umount", target.toString());
      } catch (IOException | AssertionError e) {
        // Detach it at least: the temp dir cleanup must not delete through a mount.
        run("umount", "-l", target.toString());
        failure = new IOException("umount " + target + " failed", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Every path under {@code root} with type, mode, owner, size, content hash, links, xattrs. */
  static SortedMap<String, String> listing(Path root) throws IOException {
    SortedMap<String, String> listing = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        if (!path.equals(root)) {
          listing.put(root.relativize(path).toString(), describe(path));
        }
      }
    }
    return listing;
  }

  private static String describe(Path path) throws IOException {
    Map<String, Object> unix =
        Files.readAttributes(path, "unix:mode,uid,gid,size,nlink,rdev", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) unix.get("mode");
    StringBuilder s = new StringBuilder();
    s.append(Integer.toOctalString(mode >> 12)).append(' ')
        .append(Integer.toOctalString(mode & 07777)).append(' ')
        .append(unix.get("uid")).append(':').append(unix.get("gid"));
    if (Files.isSymbolicLink(path)) {
      return s.append(" -> ").append(Files.readSymbolicLink(path)).toString();
    }
    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      s.append(" size=").append(unix.get("size")).append(" nlink=").append(unix.get("nlink"))
          .append(" sha256=").append(sha256(Files.readAllBytes(path)));
    }
    if ((mode & 0170000) == 0020000) {
      s.append(" rdev=").append(unix.get("rdev"));
    }
    for (String name : new java.util.TreeSet<>(Posix.llistxattr(path))) {
      if (name.startsWith("user.")) {
        s.append(' ').append(name).append('=')
            .append(new String(Posix.lgetxattr(path, name).orElseThrow(), StandardCharsets.UTF_8));
      }
    }
    return s.toString();
  }

  static void write(Path root, String path, String text, int mode) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Posix.lchmod(file, mode);
  }

  static void run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      assertEquals(0, p.exitValue(),
          String.join(" ", command) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 7);
    }
    return b;
  }
}
