package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.registry.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The store's {@code index.json}: which manifests the store holds and the names they are tagged
 * with, in the {@code org.opencontainers.image.ref.name} annotation as the full normalized
 * reference ({@code docker.io/library/busybox:latest}).
 *
 * <p>Reads need no lock because writes replace the file atomically; writes are serialized across
 * threads and JVMs by {@code index.lock}.
 */
public final class ImageIndex {
  /** The OCI annotation that names an entry of an image layout's index. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final Path indexFile;
  private final Path tmpDir;
  private final StoreLock writeLock;

  ImageIndex(Path indexFile, Path tmpDir, StoreLock writeLock) {
    this.indexFile = indexFile;
    this.tmpDir = tmpDir;
    this.writeLock = writeLock;
  }

  /** Every entry, tagged ones sorted by name first, then untagged ones by digest. */
  public List<StoredImage> list() {
    List<StoredImage> images = new ArrayList<>();
    for (Descriptor d : read().manifests()) {
      String name = d.annotations().get(REF_NAME);
      Optional<Reference> ref = Optional.empty();
      if (name != null) {
        try {
          ref = Optional.of(Reference.parse(name));
        } catch (RuntimeException foreignName) {
          // A layout written by another tool may use bare tags; keep the entry, untagged.
        }
      }
      images.add(new StoredImage(ref, d));
    }
    return images;
  }

  /** The manifest a reference names: by tag, or by digest for {@code name@sha256:…}. */
  public Optional<Descriptor> resolve(Reference reference) {
    for (StoredImage image : list()) {
      if (reference.digest() != null) {
        if (image.manifest().digest().equals(reference.digest())) {
          return Optional.of(image.manifest());
        }
      } else if (image.reference().map(r -> r.toString().equals(reference.toString())).orElse(false)) {
        return Optional.of(image.manifest());
      }
    }
    return Optional.empty();
  }

  /** Every manifest digest the index holds, tagged or not. */
  public List<Digest> digests() {
    return list().stream().map(i -> i.manifest().digest()).distinct().toList();
  }

  /** Points {@code reference} at {@code manifest}, replacing what it named before. */
  public void tag(Reference reference, Descriptor manifest) {
    update(
        entries -> {
          List<Descriptor> result = new ArrayList<>();
          for (Descriptor d : entries) {
            boolean sameName = reference.toString().equals(d.annotations().get(REF_NAME));
            boolean untaggedSameImage =
                d.annotations().get(REF_NAME) == null && d.digest().equals(manifest.digest());
            if (!sameName && !untaggedSameImage) {
              result.add(d);
            }
          }
          // Other annotations stay (a pull records the index it chose the manifest from).
          Map<String, String> annotations = new java.util.TreeMap<>(manifest.annotations());
          annotations.put(REF_NAME, reference.toString());
          result.add(manifest.withAnnotations(annotations));
          return result;
        });
  }

  /** Records an image that has no name yet, unless the index already holds it. */
  public void addUntagged(Descriptor manifest) {
    update(
        entries -> {
          if (entries.stream().anyMatch(d -> d.digest().equals(manifest.digest()))) {
            return entries;
          }
          List<Descriptor> result = new ArrayList<>(entries);
          result.add(manifest.withAnnotations(Map.of()));
          return result;
        });
  }

  /** Removes a tag; returns the manifest it named, if any. */
  public Optional<Descriptor> untag(Reference reference) {
    Optional<Descriptor> named = resolve(reference);
    update(
        entries ->
            entries.stream()
                .filter(d -> !reference.toString().equals(d.annotations().get(REF_NAME)))
                .toList());
    return named;
  }

  /** Removes every entry, tagged or not, for a manifest digest. */
  public void removeAll(Digest manifestDigest) {
    update(entries -> entries.stream().filter(d -> !d.digest().equals(manifestDigest)).toList());
  }

  /**
   * Writes an empty index unless there is one. Under the write lock: a store opened while
   * another process tags must not overwrite the index that process just wrote.
   */
  void createIfAbsent() throws IOException {
    try (StoreLock.Lease lease = writeLock.exclusive()) {
      if (!Files.exists(indexFile)) {
        FileSync.writeAtomically(indexFile, Json.bytes(Index.oci(List.of())), tmpDir);
      }
    }
  }

  /** Holds off index writes (garbage collection: their temp files live in {@code tmp/}). */
  StoreLock.Lease lockWrites() {
    return writeLock.exclusive();
  }

  /** The parsed index document, or an empty one when none was written yet. */
  Index read() {
    try {
      return Json.read(Files.readAllBytes(indexFile), Index.class);
    } catch (NoSuchFileException e) {
      return Index.oci(List.of());
    } catch (IOException e) {
      throw new StoreIOException("reading", indexFile, e);
    }
  }

  private void update(UnaryOperator<List<Descriptor>> change) {
    try (StoreLock.Lease lease = writeLock.exclusive()) {
      Index current = read();
      List<Descriptor> entries = new ArrayList<>(change.apply(current.manifests()));
      entries.sort(
          Comparator.comparing((Descriptor d) -> d.annotations().getOrDefault(REF_NAME, "\uffff"))
              .thenComparing(d -> d.digest().toString()));
      if (entries.equals(current.manifests()) && Files.exists(indexFile)) {
        return; // Nothing changes (a rebuild's image is already listed, a tag already names it).
      }
      FileSync.writeAtomically(indexFile, Json.bytes(current.withManifests(entries)), tmpDir);
    } catch (IOException e) {
      throw new StoreIOException("writing", indexFile, e);
    }
  }
}
