package dev.minke.store;

import dev.minke.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The content-addressed blobs of the store ({@code blobs/sha256/<hex>}).
 *
 * <p>Writes go to a temp file that is hashed while written, fsynced and renamed, so a crash never
 * leaves a half blob under a digest name. Reads are verified against the digest.
 */
public final class BlobStore {
  private final Path sha256Dir;
  private final Path tmpDir;

  BlobStore(Path blobsDir, Path tmpDir) {
    this.sha256Dir = blobsDir.resolve("sha256");
    this.tmpDir = tmpDir;
  }

  /** The digest and size of a blob that was written. */
  public record Written(Digest digest, long sizeBytes) {}

  public boolean has(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  /** The size of a stored blob. */
  public long size(Digest digest) {
    try {
      return Files.size(path(digest));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    } catch (IOException e) {
      throw new StoreIOException("reading the size of blob", path(digest), e);
    }
  }

  /**
   * Opens a blob for reading. The stream verifies the digest when it reaches the end and throws
   * {@link CorruptBlobException} there if the content does not match.
   */
  public InputStream open(Digest digest) {
    Path file = path(digest);
    try {
      return new VerifyingInputStream(Files.newInputStream(file), digest, "in " + file);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    } catch (IOException e) {
      throw new StoreIOException("opening blob", file, e);
    }
  }

  /** Reads a whole (small) blob, verified. */
  public byte[] readAll(Digest digest) {
    try (InputStream in = open(digest)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new StoreIOException("reading blob", path(digest), e);
    }
  }

  /** Stores bytes and returns their digest. */
  public Written write(byte[] bytes) {
    return write(new ByteArrayInputStream(bytes));
  }

  /** Stores a stream's content and returns its digest; nothing is left behind on failure. */
  public Written write(InputStream in) {
    try (BlobWriter writer = newWriter()) {
      in.transferTo(writer);
      return writer.commit();
    } catch (IOException e) {
      throw new StoreIOException("writing blob from stream into", tmpDir, e);
    }
  }

  /**
   * Stores a stream whose digest is known in advance (a pull, a load) and refuses it, leaving
   * nothing behind, when the content does not match.
   */
  public Written writeExpecting(InputStream in, Digest expected, String source) {
    try (BlobWriter writer = newWriter()) {
      in.transferTo(writer);
      return writer.commitExpecting(expected, source);
    } catch (IOException e) {
      throw new StoreIOException("writing blob " + expected + " into", tmpDir, e);
    }
  }

  /**
   * Starts writing a blob whose digest is known only at the end. Call {@link
   * BlobWriter#commit()}; closing without committing discards what was written.
   */
  public BlobWriter newWriter() {
    return newWriter((digest, createdNow) -> {});
  }

  /** A writer that tells {@code onCommit} the digest and whether the blob is new in the store. */
  BlobWriter newWriter(BlobWriter.CommitListener onCommit) {
    try {
      Files.createDirectories(tmpDir);
      Files.createDirectories(sha256Dir);
      return new BlobWriter(Files.createTempFile(tmpDir, "blob-", ".tmp"), this, onCommit);
    } catch (IOException e) {
      throw new StoreIOException("creating a temp file in", tmpDir, e);
    }
  }

  /** Every stored sha256 blob, in digest order. Files that are not named by a digest are skipped. */
  public List<Digest> list() {
    List<Digest> digests = new ArrayList<>();
    if (!Files.isDirectory(sha256Dir)) {
      return digests;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(sha256Dir)) {
      for (Path entry : entries) {
        try {
          digests.add(new Digest("sha256", entry.getFileName().toString()));
        } catch (IllegalArgumentException notADigest) {
          // A stray file; fsck reports it.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    digests.sort(null);
    return digests;
  }

  /** Where a blob lives (whether or not it exists). */
  public Path path(Digest digest) {
    if (!digest.algorithm().equals("sha256")) {
      return sha256Dir.resolveSibling(digest.algorithm()).resolve(digest.hex());
    }
    return sha256Dir.resolve(digest.hex());
  }

  Path sha256Dir() {
    return sha256Dir;
  }

  /** Removes a blob (garbage collection only). */
  void delete(Digest digest) throws IOException {
    Files.deleteIfExists(path(digest));
  }
}
