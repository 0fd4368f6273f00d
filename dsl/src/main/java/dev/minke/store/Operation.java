package dev.minke.store;

import dev.minke.os.FileTrees;
import dev.minke.os.Interrupts;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * One store operation that writes blobs (a build, a load, a pull): it keeps garbage collection
 * away while it runs and remembers the blobs it added, so that if it fails they are removed and
 * the store is as it was before. Closing on an interrupted thread rolls back all the same.
 */
public final class Operation implements AutoCloseable {
  private final Store store;
  private final StoreLock.Lease lease;
  private final Set<Digest> added = Collections.synchronizedSet(new HashSet<>());
  private final Set<Digest> addedSnapshots = Collections.synchronizedSet(new HashSet<>());
  private final java.util.List<java.nio.file.Path> scratchDirs = new java.util.ArrayList<>();
  private boolean committed;
  private boolean closed;

  Operation(Store store, StoreLock.Lease lease) {
    this.store = store;
    this.lease = lease;
  }

  /** Streams a blob in; see {@link BlobStore#newWriter()}. The blob is tracked by this operation. */
  public BlobWriter newWriter() {
    return store.blobs().newWriter(this::track);
  }

  /** Stores bytes as a blob tracked by this operation. */
  public BlobStore.Written write(byte[] bytes) {
    try (BlobWriter writer = newWriter()) {
      writer.write(bytes);
      return writer.commit();
    } catch (IOException e) {
      throw new StoreIOException("writing a blob into", store.home(), e);
    }
  }

  /** Stores a stream whose digest is known, refusing content that does not match. */
  public BlobStore.Written writeExpecting(InputStream in, Digest expected, String source) {
    try (BlobWriter writer = newWriter()) {
      in.transferTo(writer);
      return writer.commitExpecting(expected, source);
    } catch (IOException e) {
      throw new StoreIOException("writing blob " + expected + " into", store.home(), e);
    }
  }

  /** Stores an image config and returns its descriptor. */
  public Descriptor putConfig(ImageConfig config) {
    BlobStore.Written written = write(Json.bytes(config));
    return Descriptor.of(MediaType.OCI_CONFIG, written.digest(), written.sizeBytes());
  }

  /** Stores a manifest and returns its descriptor. */
  public Descriptor putManifest(Manifest manifest) {
    BlobStore.Written written = write(Json.bytes(manifest));
    return Descriptor.of(manifest.mediaType(), written.digest(), written.sizeBytes());
  }

  /**
   * A private directory under the store's {@code tmp/} for work files (an unpacked import), on
   * the store's filesystem; deleted when the operation closes. gc leaves it alone meanwhile.
   */
  public synchronized java.nio.file.Path newScratchDirectory(String prefix) {
    try {
      java.nio.file.Path tmp = store.home().resolve("tmp");
      java.nio.file.Files.createDirectories(tmp);
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(tmp, prefix);
      scratchDirs.add(dir);
      return dir;
    } catch (IOException e) {
      throw new StoreIOException("creating a scratch directory in", store.home(), e);
    }
  }

  /**
   * Unpacks the layers of an image, which may be one this operation is still making (a build
   * runs a step on the layers it made so far), and returns the {@code fs} directories, bottom
   * first; see {@link SnapshotStore#prepare}. Snapshots made here are removed if the operation
   * fails, unless an image needs them by then.
   */
  public java.util.List<java.nio.file.Path> prepareSnapshots(Manifest manifest, ImageConfig config) {
    for (Digest chainId : config.rootfs().chainIds()) {
      if (!store.snapshots().has(chainId)) {
        addedSnapshots.add(chainId);
      }
    }
    return store.snapshots().prepare(manifest, config);
  }

  /** Marks the operation successful: what it wrote stays. */
  public void commit() {
    committed = true;
  }

  private void track(Digest digest, boolean createdNow) {
    if (createdNow) {
      added.add(digest);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (java.nio.file.Path dir : scratchDirs) {
      try {
        FileTrees.delete(dir);
      } catch (IOException e) {
        // A leftover under tmp/: fsck notes it and gc removes it.
      }
    }
    lease.close();
    if (!committed) {
      // Also on an interrupted thread: the rollback's file lock would refuse it otherwise.
      Interrupts.cleanUp(() -> store.rollback(Set.copyOf(added), Set.copyOf(addedSnapshots)));
    }
  }
}
