package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a {@link SavePlan} into a directory as an OCI image layout. Blobs go first, each to a
 * temp file renamed under its digest; {@code index.json} is replaced last, so a reader never sees
 * a name whose blobs are missing.
 */
final class LayoutExporter {
  private final Store store;
  private final Path dir;

  LayoutExporter(Store store, Path dir) {
    this.store = store;
    this.dir = dir.toAbsolutePath().normalize();
  }

  void export(SavePlan plan) {
    try {
      boolean existingLayout = checkTarget();
      Path blobsDir = dir.resolve("blobs").resolve("sha256");
      Files.createDirectories(blobsDir);
      for (Map.Entry<Digest, Long> blob : plan.blobs().entrySet()) {
        writeBlob(blobsDir, blob.getKey());
      }
      List<Descriptor> entries = new ArrayList<>(plan.indexEntries());
      Index index = Index.oci(List.of());
      if (existingLayout && Files.exists(dir.resolve("index.json"))) {
        index = Json.read(Files.readAllBytes(dir.resolve("index.json")), Index.class);
        entries = merge(index.manifests(), plan.indexEntries());
      }
      Path layout = dir.resolve(Store.LAYOUT_FILE);
      if (!Files.exists(layout)) {
        FileSync.writeAtomically(layout, Store.LAYOUT_CONTENT.getBytes(StandardCharsets.UTF_8), dir);
      }
      FileSync.writeAtomically(dir.resolve("index.json"), Json.bytes(index.withManifests(entries)), dir);
    } catch (IOException e) {
      throw new LayoutExportException(dir, e.getClass().getSimpleName() + " (" + e.getMessage() + ")",
          "check that the directory is writable and the disk has space", e);
    }
  }

  /** True when {@code dir} is an OCI layout already; throws when it holds anything else. */
  private boolean checkTarget() throws IOException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
      return false;
    }
    if (!Files.isDirectory(dir)) {
      throw new LayoutExportException(dir, "it is a file", "name a new or empty directory", null);
    }
    if (Files.isRegularFile(dir.resolve(Store.LAYOUT_FILE))) {
      return true;
    }
    try (Stream<Path> children = Files.list(dir)) {
      if (children.findAny().isPresent()) {
        throw new LayoutExportException(dir, "it is not empty and not an OCI image layout (no oci-layout file)",
            "name a new or empty directory, or an existing OCI layout to add to", null);
      }
    }
    return false;
  }

  private void writeBlob(Path blobsDir, Digest digest) throws IOException {
    Path target = blobsDir.resolve(digest.hex());
    if (Files.isRegularFile(target) && Files.size(target) == store.blobs().size(digest)) {
      return; // Content-addressed: the same bytes are there already.
    }
    Path tmp = Files.createTempFile(blobsDir, ".blob-", ".tmp");
    try {
      // The store verifies the digest as the blob streams out.
      try (InputStream in = store.blobs().open(digest)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      FileSync.makeReadable(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The existing entries, minus those whose names the new entries take, plus the new ones. */
  private static List<Descriptor> merge(List<Descriptor> existing, List<Descriptor> added) {
    Set<String> newNames = new HashSet<>();
    Set<Digest> newDigests = new HashSet<>();
    for (Descriptor d : added) {
      newDigests.add(d.digest());
      String name = d.annotations().getOrDefault(SavePlan.IMAGE_NAME, d.annotations().get(ImageIndex.REF_NAME));
      if (name != null) {
        newNames.add(name);
      }
    }
    List<Descriptor> merged = new ArrayList<>();
    for (Descriptor d : existing) {
      String name = d.annotations().getOrDefault(SavePlan.IMAGE_NAME, d.annotations().get(ImageIndex.REF_NAME));
      boolean replaced = name != null ? newNames.contains(name) : newDigests.contains(d.digest());
      if (!replaced && !added.contains(d)) {
        merged.add(d);
      }
    }
    merged.addAll(added);
    return merged;
  }
}
