package dev.minke.store;

import dev.minke.image.Digest;
import dev.minke.image.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The build cache's index, shared by every build on the store: {@code cache/entries/<key>.json}
 * holds a {@link CacheRecord}, {@code cache/children/<parent>/<key>} (empty) lists the entries
 * made under one parent key, so that a miss can be compared with what was built there before,
 * and {@code cache/bases/<sha256 of the name>.json} remembers which digest a base image name had
 * at the last build, so that a miss can say the base changed.
 *
 * <p>Every file is written to a temp file and renamed. The layers that entries name are roots for
 * garbage collection ({@link References}), as BuildKit's cache outlives the images made from it.
 */
public final class BuildCacheIndex {
  private final Path dir;
  private final Path tmpDir;

  BuildCacheIndex(Path dir, Path tmpDir) {
    this.dir = dir;
    this.tmpDir = tmpDir;
  }

  /** Which manifest a base image name had at the last build from it, and the build's options. */
  public record BaseRecord(String reference, Digest manifestDigest, long sourceDateEpochSeconds, String compression) {}

  public Optional<CacheRecord> get(Digest key) {
    return read(entryFile(key), CacheRecord.class);
  }

  /** The entries recorded under {@code parent}, any order. */
  public List<CacheRecord> children(Digest parent) {
    List<CacheRecord> records = new ArrayList<>();
    Path childDir = dir.resolve("children").resolve(parent.hex());
    if (!Files.isDirectory(childDir)) {
      return records;
    }
    try (DirectoryStream<Path> names = Files.newDirectoryStream(childDir)) {
      for (Path name : names) {
        try {
          get(new Digest("sha256", name.getFileName().toString())).ifPresent(records::add);
        } catch (IllegalArgumentException notAKey) {
          // A stray file: not an entry.
        }
      }
    } catch (IOException e) {
      throw new StoreIOException("listing", childDir, e);
    }
    return records;
  }

  /** Records an entry (replacing one with the same key) and links it under its parent. */
  public void put(CacheRecord record) {
    try {
      Files.createDirectories(tmpDir);
      Files.createDirectories(entryFile(record.key()).getParent());
      FileSync.writeAtomically(entryFile(record.key()), Json.bytes(record), tmpDir);
      Path childDir = Files.createDirectories(dir.resolve("children").resolve(record.parent().hex()));
      Path marker = childDir.resolve(record.key().hex());
      if (!Files.exists(marker)) {
        FileSync.writeAtomically(marker, new byte[0], tmpDir);
      }
    } catch (IOException e) {
      throw new StoreIOException("writing cache entry " + record.key().shortHex() + " into", dir, e);
    }
  }

  public Optional<BaseRecord> base(String reference) {
    return read(baseFile(reference), BaseRecord.class);
  }

  public void putBase(BaseRecord record) {
    if (base(record.reference()).filter(record::equals).isPresent()) {
      return; // Already recorded: a rebuild from the same base writes nothing.
    }
    try {
      Files.createDirectories(tmpDir);
      Files.createDirectories(baseFile(record.reference()).getParent());
      FileSync.writeAtomically(baseFile(record.reference()), Json.bytes(record), tmpDir);
    } catch (IOException e) {
      throw new StoreIOException("writing the base record of " + record.reference() + " into", dir, e);
    }
  }

  /** The layer blobs every readable entry names: roots for garbage collection. */
  Set<Digest> layerDigests() {
    Set<Digest> digests = new HashSet<>();
    Path entries = dir.resolve("entries");
    if (!Files.isDirectory(entries)) {
      return digests;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(entries, "*.json")) {
      for (Path file : files) {
        read(file, CacheRecord.class).filter(r -> r.layer() != null).ifPresent(r -> digests.add(r.layer().digest()));
      }
    } catch (IOException | RuntimeException e) {
      // An unreadable cache directory keeps nothing alive; images keep their own blobs.
    }
    return digests;
  }

  private Path entryFile(Digest key) {
    return dir.resolve("entries").resolve(key.hex() + ".json");
  }

  private Path baseFile(String reference) {
    return dir.resolve("bases").resolve(Digest.sha256(reference).hex() + ".json");
  }

  private static <T> Optional<T> read(Path file, Class<T> type) {
    try {
      return Optional.of(Json.read(Files.readAllBytes(file), type));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // A damaged entry is a miss; the step is rebuilt and the entry rewritten.
    }
  }
}
