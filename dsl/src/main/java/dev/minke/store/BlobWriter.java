package dev.minke.store;

import dev.minke.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Streams one blob into a temp file while hashing it. {@link #commit()} fsyncs and renames it
 * under its digest; {@link #close()} without a commit deletes the temp file.
 */
public final class BlobWriter extends OutputStream {
  private final Path tmpFile;
  private final BlobStore store;
  private final CommitListener onCommit;
  private final FileChannel channel;
  private final OutputStream out;
  private final MessageDigest hasher = Digest.newSha256();
  private long sizeBytes;
  private boolean done;

  /** Told of each committed blob, and whether this writer created it or it was there already. */
  interface CommitListener {
    void committed(Digest digest, boolean createdNow);
  }

  BlobWriter(Path tmpFile, BlobStore store, CommitListener onCommit) throws IOException {
    this.tmpFile = tmpFile;
    this.store = store;
    this.onCommit = onCommit;
    this.channel = FileChannel.open(tmpFile, StandardOpenOption.WRITE);
    this.out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 256 * 1024);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    hasher.update((byte) b);
    sizeBytes++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    hasher.update(b, off, len);
    sizeBytes += len;
  }

  /** Makes the blob durable under its digest and returns it. */
  public BlobStore.Written commit() throws IOException {
    return finish(Digest.ofSha256(hasher.digest()));
  }

  /** Like {@link #commit()}, but refuses content whose digest is not {@code expected}. */
  public BlobStore.Written commitExpecting(Digest expected, String source) throws IOException {
    Digest actual = Digest.ofSha256(hasher.digest());
    if (!actual.equals(expected)) {
      close();
      throw new CorruptBlobException(expected, actual, "from " + source);
    }
    return finish(actual);
  }

  private BlobStore.Written finish(Digest digest) throws IOException {
    Path target = store.path(digest);
    boolean createdNow = false;
    if (Files.exists(target)) {
      // Content-addressed: the same bytes are already there (and were made durable by whoever
      // stored them), so this copy needs no fsync: a rebuild re-storing its config, manifest or
      // layer pays nothing for it.
      channel.close();
      Files.deleteIfExists(tmpFile);
    } else {
      // Flush and fsync before the rename: the digest name must only ever name complete content.
      out.flush();
      channel.force(true);
      channel.close();
      FileSync.makeReadable(tmpFile);
      Files.createDirectories(target.getParent());
      try {
        // rename(2) replaces a blob another process renamed in meanwhile: same bytes, no harm.
        Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
        createdNow = true;
      } catch (FileAlreadyExistsException raced) {
        Files.deleteIfExists(tmpFile);
      }
      // The blob is under its name now: tell the operation before the directory sync, which an
      // interrupt can fail (ClosedByInterruptException when a failing pull cancels its other
      // transfers), so that the operation's rollback still removes the blob it added.
      done = true;
      onCommit.committed(digest, createdNow);
      FileSync.syncDirectory(target.getParent());
      return new BlobStore.Written(digest, sizeBytes);
    }
    done = true;
    onCommit.committed(digest, createdNow);
    return new BlobStore.Written(digest, sizeBytes);
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(tmpFile);
      }
    }
  }
}
