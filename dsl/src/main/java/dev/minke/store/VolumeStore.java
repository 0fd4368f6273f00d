package dev.minke.store;

import dev.minke.image.Json;
import dev.minke.os.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The volumes of a store, one directory each, as Docker's {@code local} driver lays them out:
 * {@code volumes/<name>/_data} is what containers mount, {@code volumes/<name>/volume.json} the
 * record. This class knows nothing of containers: which ones use a volume is the runtime's
 * question ({@code dev.minke.runtime.Volumes}).
 *
 * <p>Changes that must not interleave with a container being created on a volume (removing it,
 * filling it from the image) run inside {@link #locked}, one file lock for every JVM on the store.
 */
public final class VolumeStore {
  /** Docker's rule for volume names: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  static final String RECORD = "volume.json";
  static final String DATA = "_data";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final StoreLock lock;

  public VolumeStore(Path storeHome) {
    this.root = storeHome.resolve("volumes");
    this.lock = StoreLock.of(storeHome.resolve("volumes.lock"));
  }

  /** Whether {@code name} is a valid volume name (as opposed to a host path, for {@code -v}). */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** A new random name, 64 hex digits, as Docker names anonymous volumes. */
  public static String randomName() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Runs {@code action} holding the volumes lock exclusively (reentrant in this thread). */
  public <T> T locked(Supplier<T> action) {
    if (lock.heldByCurrentThread()) {
      return action.get();
    }
    try (StoreLock.Lease lease = lock.exclusive()) {
      return action.get();
    }
  }

  /**
   * The volume named {@code name}, created empty when it does not exist ({@code docker volume
   * create} returns an existing volume as it is).
   *
   * @throws IllegalArgumentException if the name breaks Docker's rule
   */
  public Volume create(String name, boolean anonymous) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("invalid volume name \"" + name + "\": use letters, digits, '_', '.' and"
          + " '-', starting with a letter or digit, at least 2 characters");
    }
    return locked(() -> {
      Optional<Volume> existing = find(name);
      if (existing.isPresent()) {
        return existing.get();
      }
      Path dir = dir(name);
      Volume volume = new Volume(name, Instant.now().toString(), anonymous);
      try {
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".new-");
        Files.createDirectory(tmp.resolve(DATA));
        Files.write(tmp.resolve(RECORD), Json.bytes(volume));
        // The directory appears whole or not at all: a crash leaves only a .new- directory.
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        return find(name).orElseThrow();
      } catch (IOException e) {
        throw new StoreIOException("creating volume " + name + " in", root, e);
      }
      return volume;
    });
  }

  /** The volume named {@code name}, if there is one. */
  public Optional<Volume> find(String name) {
    if (!isValidName(name)) {
      return Optional.empty();
    }
    Path file = dir(name).resolve(RECORD);
    try {
      return Optional.of(Json.read(Files.readAllBytes(file), Volume.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIOException("reading", file, e);
    }
  }

  /** The volume named {@code name}; throws {@link VolumeNotFoundException} if there is none. */
  public Volume get(String name) {
    return find(name).orElseThrow(() -> new VolumeNotFoundException(name));
  }

  /** Every volume, by name. */
  public List<Volume> list() {
    List<Volume> volumes = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return volumes;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        find(dir.getFileName().toString()).ifPresent(volumes::add);
      }
    } catch (IOException e) {
      throw new StoreIOException("listing", root, e);
    }
    volumes.sort(Comparator.comparing(Volume::name));
    return volumes;
  }

  /** What containers mount: {@code volumes/<name>/_data}. */
  public Path dataDir(String name) {
    return dir(name).resolve(DATA);
  }

  /** The volume whose {@link #dataDir} is {@code mountSource}, if it is one. */
  public Optional<String> nameOf(Path mountSource) {
    Path source = mountSource.normalize();
    if (source.getNameCount() < 2 || !source.getFileName().toString().equals(DATA)
        || !root.equals(source.getParent().getParent())) {
      return Optional.empty();
    }
    String name = source.getParent().getFileName().toString();
    return isValidName(name) ? Optional.of(name) : Optional.empty();
  }

  /** Whether the volume's data directory holds nothing. */
  public boolean isEmpty(String name) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir(name))) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      throw new StoreIOException("reading", dataDir(name), e);
    }
  }

  /** Deletes a volume and its data; the caller has made sure no container uses it. */
  public void delete(String name) {
    get(name);
    Path dir = dir(name);
    try {
      // Rename first, so that a half-deleted volume never looks like a volume.
      Path doomed = root.resolve(".rm-" + randomName().substring(0, 16));
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.delete(doomed);
    } catch (IOException e) {
      throw new StoreIOException("removing volume " + name + " from", root, e);
    }
  }

  /** The size of a volume's data in bytes (files only, symlinks not followed). */
  public long sizeBytes(String name) {
    long[] total = {0};
    try (var files = Files.walk(dataDir(name))) {
      files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
        try {
          total[0] += Files.size(p);
        } catch (IOException e) {
          // gone meanwhile
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      return total[0];
    }
    return total[0];
  }

  private Path dir(String name) {
    return root.resolve(name);
  }
}
