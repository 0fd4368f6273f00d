package dev.minke.store;

import dev.minke.error.MinkeException;
import dev.minke.image.Digest;
import dev.minke.registry.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Saves images to, and loads them from, the archives every container tool reads: {@code minke
 * save}, {@code load} and {@code export --oci}.
 *
 * <p>A saved tar is at once an OCI image layout ({@code oci-layout}, {@code index.json}, {@code
 * blobs/sha256/…}) and a {@code docker load} archive ({@code manifest.json}, {@code
 * repositories}), as {@code docker save} writes since Docker 25. It is deterministic: sorted
 * entries, mtime 0, uid/gid 0, modes 0644/0755, so the same images always give the same bytes.
 */
public final class ImageArchive {
  private ImageArchive() {}

  /**
   * Writes the images {@code refs} name to {@code out} as one tar; {@code out} is flushed, not
   * closed. Layers are written as stored (gzip): both {@code docker load} and skopeo's
   * docker-archive reader accept compressed layers named from {@code manifest.json}.
   *
   * @throws ImageNotFoundException if a name is not in the store
   */
  public static void save(Store store, List<Reference> refs, OutputStream out) {
    SavePlan plan = SavePlan.of(store, refs);
    try {
      ArchiveTarWriter tar = new ArchiveTarWriter(out);
      tar.directory("blobs");
      tar.directory("blobs/sha256");
      for (Map.Entry<Digest, Long> blob : plan.blobs().entrySet()) {
        // The store verifies the digest as the blob streams out: a damaged blob fails the save.
        try (InputStream content = store.blobs().open(blob.getKey())) {
          tar.file(SavePlan.blobPath(blob.getKey()), blob.getValue(), content);
        }
      }
      tar.file("index.json", plan.indexJson());
      tar.file("manifest.json", plan.dockerManifestJson());
      tar.file("oci-layout", Store.LAYOUT_CONTENT.getBytes(StandardCharsets.UTF_8));
      if (!plan.repositories().isEmpty()) {
        tar.file("repositories", plan.repositoriesJson());
      }
      tar.finish();
    } catch (IOException e) {
      throw new MinkeException("writing the image archive failed: " + e.getMessage(),
          "check that the output is writable and its disk has space", e);
    }
  }

  /** Loads an archive with {@link LoadOptions#defaults()}. */
  public static List<StoredImage> load(Store store, InputStream in) {
    return load(store, in, LoadOptions.defaults());
  }

  /**
   * Loads every image of an archive: Minke's or Docker 25's combined format, an OCI layout tar
   * ({@code skopeo copy … oci-archive:}) or a classic {@code docker save} tar. Returns one entry
   * per name tagged, and one per image loaded untagged.
   *
   * <p>Every blob is verified while it streams in. Names are tagged only when all blobs are
   * stored and checked; on any failure nothing is tagged and the blobs added are removed.
   *
   * @throws ArchiveFormatException if the archive is not one, is damaged, truncated or incomplete
   */
  public static List<StoredImage> load(Store store, InputStream in, LoadOptions options) {
    return new ArchiveLoader(store, options).load(in);
  }

  /**
   * Writes the images {@code refs} name into {@code dir} as a standalone OCI image layout (the
   * archive's content without Docker's files). {@code dir} may be missing, empty, or already an
   * OCI layout, whose other images are kept; a name already there is replaced.
   *
   * @throws LayoutExportException if {@code dir} holds something that is not an OCI layout
   */
  public static void exportLayout(Store store, List<Reference> refs, Path dir) {
    new LayoutExporter(store, dir).export(SavePlan.of(store, refs));
  }
}
