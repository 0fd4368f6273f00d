package dev.minke.build;

import dev.minke.image.Digest;
import dev.minke.os.FileTrees;
import dev.minke.runtime.RuntimeSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The host side of one RUN's {@code --mount}s, held for the step: cache directories in the store
 * ({@code $MINKE_HOME/build-cache-mounts/<id or target hash>}) with their sharing lock, and
 * private copies of secret files. Closing releases the locks and removes the temporary
 * directories; the persistent cache directories stay.
 */
final class RunMounts implements AutoCloseable {
  static final String CACHE_MOUNTS = "build-cache-mounts";

  /** In-JVM holders of a cache directory; the file lock keeps other processes out. */
  private static final Map<Path, Semaphore> IN_USE = new ConcurrentHashMap<>();

  private final List<RuntimeSpec.Mount> specMounts = new ArrayList<>();
  private final List<AutoCloseable> held = new ArrayList<>();

  private RunMounts() {}

  List<RuntimeSpec.Mount> specMounts() {
    return List.copyOf(specMounts);
  }

  static RunMounts prepare(Path storeHome, Path scratch, RunInput input, BuildOptions options) throws IOException {
    RunMounts mounts = new RunMounts();
    try {
      int n = 0;
      for (RunMount mount : input.mounts()) {
        n++;
        if (mount instanceof RunMount.Cache cache) {
          Path dir = mounts.cacheDir(storeHome, scratch.resolve("cache-" + n), cache);
          mounts.specMounts.add(new RuntimeSpec.Mount(cache.target(), "bind", dir.toString(), List.of("rbind")));
        } else if (mount instanceof RunMount.Secret secret) {
          Path file = secretCopy(scratch.resolve("secret-" + n), secret, options, input.text());
          mounts.specMounts.add(new RuntimeSpec.Mount(secret.target(), "bind", file.toString(),
              List.of("bind", "ro", "nosuid", "nodev", "noexec")));
        }
      }
      return mounts;
    } catch (IOException | RuntimeException e) {
      mounts.close();
      throw e;
    }
  }

  /** The directory a cache mount binds, locked as its sharing mode says. */
  private Path cacheDir(Path storeHome, Path privateDir, RunMount.Cache cache) throws IOException {
    Path root = storeHome.resolve(CACHE_MOUNTS);
    Path dir = root.resolve(dirName(cache));
    Files.createDirectories(dir);
    if (cache.sharing().equals("shared")) {
      return dir;
    }
    Semaphore inJvm = IN_USE.computeIfAbsent(dir, d -> new Semaphore(1));
    boolean locked = cache.sharing().equals("locked");
    if (locked) {
      try {
        inJvm.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for the cache mount " + cache.id());
      }
    } else if (!inJvm.tryAcquire()) {
      return freshPrivate(privateDir);
    }
    held.add(inJvm::release);
    FileChannel channel = FileChannel.open(root.resolve(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    held.add(channel);
    FileLock lock = locked ? channel.lock() : channel.tryLock();
    if (lock == null) {
      return freshPrivate(privateDir);
    }
    held.add(lock);
    return dir;
  }

  private static Path freshPrivate(Path privateDir) throws IOException {
    Files.createDirectories(privateDir);
    Files.setAttribute(privateDir, "unix:mode", 0755);
    return privateDir; // Inside the step's scratch directory: removed with it.
  }

  /** The explicit id when it is a plain name, otherwise a hash of the id (the target by default). */
  static String dirName(RunMount.Cache cache) {
    if (!cache.id().equals(cache.target()) && cache.id().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      return cache.id();
    }
    MessageDigest sha = Digest.newSha256();
    return "sha256-" + HexFormat.of().formatHex(sha.digest(cache.id().getBytes(StandardCharsets.UTF_8)));
  }

  private static Path secretCopy(Path dir, RunMount.Secret secret, BuildOptions options, String step)
      throws IOException {
    Path source = options.secrets().get(secret.id());
    if (source == null) {
      throw new BuildInputException(step, "the secret \"" + secret.id() + "\" was not given: pass it with withSecret",
          "pass it with BuildOptions.withSecret(\"" + secret.id() + "\", Path.of(\"…\"))");
    }
    if (!Files.isRegularFile(source)) {
      throw new BuildInputException(step, "the secret \"" + secret.id() + "\" file " + source + " is not a readable file",
          "pass an existing file with BuildOptions.withSecret(\"" + secret.id() + "\", …)");
    }
    Files.createDirectories(dir);
    Files.setAttribute(dir, "unix:mode", 0700);
    Path copy = dir.resolve("secret");
    Files.copy(source, copy);
    Files.setAttribute(copy, "unix:mode", 0400);
    return copy;
  }

  /**
   * Removes what the runtime created in the upper directory to mount a secret on (an empty file
   * and the missing directories above it), so that no trace of the secret is in the layer.
   */
  static void removeStubs(Path upper, ImageFilesystem fs, List<RunMount> mounts) throws IOException {
    for (RunMount mount : mounts) {
      if (!(mount instanceof RunMount.Secret)) {
        continue;
      }
      for (String path = mount.target().substring(1); !path.isEmpty();
          path = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "") {
        Path stub = upper.resolve(path);
        if (fs.get(path) != null || !Files.exists(stub, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          break;
        }
        if (Files.isDirectory(stub, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> children = Files.list(stub)) {
            if (children.findAny().isPresent()) {
              break;
            }
          }
        } else if (!Files.isRegularFile(stub, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(stub) != 0) {
          break;
        }
        Files.delete(stub);
      }
    }
  }

  /**
   * Drops the image's own directories above a secret's target that are in the layer only because
   * the runtime made the mount point inside them (overlay copied them up): an unchanged directory
   * (same mode and owner as in the image) with nothing left under it in the layer.
   */
  static List<dev.minke.image.LayerEntry> withoutCopiedUpParents(List<dev.minke.image.LayerEntry> entries,
      ImageFilesystem fs, List<RunMount> mounts) {
    List<dev.minke.image.LayerEntry> kept = new ArrayList<>(entries);
    for (RunMount mount : mounts) {
      if (!(mount instanceof RunMount.Secret)) {
        continue;
      }
      String path = mount.target().substring(1);
      while (path.contains("/")) {
        path = path.substring(0, path.lastIndexOf('/'));
        String dir = path;
        ImageFilesystem.Node node = fs.get(dir);
        if (node == null) {
          continue; // Made for the mount and removed with its stub, or kept by the step: seen below.
        }
        if (node.type() != dev.minke.image.EntryType.DIRECTORY) {
          break;
        }
        boolean childLeft = kept.stream().anyMatch(e -> strip(e.path()).startsWith(dir + "/"));
        java.util.Optional<dev.minke.image.LayerEntry> self = kept.stream()
            .filter(e -> strip(e.path()).equals(dir)).findFirst();
        if (childLeft || self.isEmpty()) {
          break;
        }
        dev.minke.image.LayerEntry e = self.get();
        if (e.type() != dev.minke.image.EntryType.DIRECTORY || (e.mode() & 07777) != (node.mode() & 07777)
            || e.uid() != node.uid() || e.gid() != node.gid()) {
          break;
        }
        kept.remove(e);
      }
    }
    return kept;
  }

  private static String strip(String path) {
    String p = path.startsWith("./") ? path.substring(2) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (int i = held.size() - 1; i >= 0; i--) {
      try {
        held.get(i).close();
      } catch (Exception e) {
        failure = failure == null ? new IOException("releasing a RUN mount: " + e.getMessage(), e) : failure;
      }
    }
    held.clear();
    if (failure != null) {
      throw failure;
    }
  }

  static void deleteQuietly(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      // Best effort.
    }
  }
}
