package dev.minke.store;

import dev.minke.os.FileTrees;

import dev.minke.image.ApplyOptions;
import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import dev.minke.image.LayerApplier;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacked layers, one directory per chain ID, shared by every image that has the same layers
 * below: {@code snapshots/<chain-id-hex>/fs} holds the layer's own files in overlayfs form
 * (whiteouts as 0/0 character devices, opaque directories by xattr), ready to be a lower
 * directory of a container's overlay; {@code snapshot.json} says what it was made from.
 *
 * <p>A snapshot is unpacked into a temp directory and renamed into place, so a crash leaves no
 * half snapshot under a chain ID.
 */
public final class SnapshotStore {
  static final String FS_DIR = "fs";
  static final String META_FILE = "snapshot.json";

  private final Path snapshotsDir;
  private final BlobStore blobs;
  private final StoreLock operations;
  private final StoreLock renames;

  SnapshotStore(Path snapshotsDir, BlobStore blobs, StoreLock operations) {
    this.snapshotsDir = snapshotsDir;
    this.blobs = blobs;
    this.operations = operations;
    this.renames = StoreLock.of(snapshotsDir.resolveSibling("snapshots.lock"));
  }

  /** What a snapshot was unpacked from. */
  public record SnapshotInfo(Digest chainId, Digest diffId, Digest layerDigest, String layerMediaType, Digest parent) {}

  /**
   * Makes sure every layer of an image is unpacked and returns the {@code fs} directories,
   * bottom layer first (reverse them for overlayfs {@code lowerdir}).
   */
  public List<Path> prepare(Manifest manifest, ImageConfig config) {
    List<Digest> chainIds = config.rootfs().chainIds();
    if (chainIds.size() != manifest.layers().size()) {
      throw new dev.minke.error.MinkeException(
          "image config lists " + chainIds.size() + " layers but the manifest has " + manifest.layers().size(),
          "the image is malformed; run `minke fsck`");
    }
    List<Path> dirs = new ArrayList<>();
    // A shared operation lease: gc must not empty an unpack- directory we are filling.
    try (StoreLock.Lease lease = operations.shared()) {
      for (int i = 0; i < chainIds.size(); i++) {
        Descriptor layer = manifest.layers().get(i);
        SnapshotInfo info = new SnapshotInfo(chainIds.get(i), config.rootfs().diffIds().get(i), layer.digest(),
            layer.mediaType(), i == 0 ? null : chainIds.get(i - 1));
        dirs.add(ensure(info).resolve(FS_DIR));
      }
    }
    return dirs;
  }

  /** Length of the short link names in {@code snapshots/l/}: 20 hex digits of the chain ID. */
  static final int LINK_NAME_LENGTH = 20;

  /** The directory of the short links to snapshot filesystems, for overlay mount data. */
  public Path linkDir() {
    return snapshotsDir.resolve("l");
  }

  /**
   * The short name in {@link #linkDir()} of a snapshot's {@code fs} directory, made on first use.
   * An overlay mount lists every lower directory in one page of mount data; 20-character names
   * instead of 67-character paths let an image have well over a hundred layers, as Docker's
   * overlay2 {@code l/} links do.
   */
  public String link(Digest chainId) {
    String name = chainId.hex().substring(0, LINK_NAME_LENGTH);
    Path link = linkDir().resolve(name);
    try {
      Files.createDirectories(linkDir());
      if (!Files.isSymbolicLink(link)) {
        // Per thread too: parallel stages of one build link the same base layers at once.
        Path tmp = linkDir().resolve(name + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of("..", chainId.hex(), FS_DIR));
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return name;
    } catch (IOException e) {
      throw new StoreIOException("linking snapshot " + chainId.shortHex() + " in", linkDir(), e);
    }
  }

  /** The directory of a snapshot (whether or not it exists). */
  public Path path(Digest chainId) {
    return snapshotsDir.resolve(chainId.hex());
  }

  public boolean has(Digest chainId) {
    return Files.isRegularFile(path(chainId).resolve(META_FILE)) && Files.isDirectory(path(chainId).resolve(FS_DIR));
  }

  /** The chain IDs of every snapshot directory present, complete or not. */
  public List<Digest> list() {
    List<Digest> ids = new ArrayList<>();
    if (!Files.isDirectory(snapshotsDir)) {
      return ids;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(snapshotsDir)) {
      for (Path entry : entries) {
        try {
          ids.add(new Digest("sha256", entry.getFileName().toString()));
        } catch (IllegalArgumentException scratch) {
          // Temp directories of unpacks in progress or interrupted; gc removes them.
        }
      }
    } catch (IOException e) {
      throw new StoreIOException("listing", snapshotsDir, e);
    }
    ids.sort(null);
    return ids;
  }

  /** Reads a snapshot's record. */
  public SnapshotInfo info(Digest chainId) {
    try {
      return Json.read(Files.readAllBytes(path(chainId).resolve(META_FILE)), SnapshotInfo.class);
    } catch (IOException e) {
      throw new StoreIOException("reading", path(chainId).resolve(META_FILE), e);
    }
  }

  private Path ensure(SnapshotInfo info) {
    Path target = path(info.chainId());
    if (has(info.chainId())) {
      return target;
    }
    Path scratch = null;
    try {
      Files.createDirectories(snapshotsDir);
      scratch = Files.createTempDirectory(snapshotsDir, "unpack-");
      Path fs = Files.createDirectory(scratch.resolve(FS_DIR));
      try (InputStream raw = blobs.open(info.layerDigest());
          InputStream tar = Compressions.decompress(raw, MediaType.compressionOf(info.layerMediaType()))) {
        LayerApplier.apply(tar, fs, ApplyOptions.overlay());
        raw.transferTo(java.io.OutputStream.nullOutputStream()); // Reading to the end verifies the digest.
      }
      FileSync.writeAtomically(scratch.resolve(META_FILE), Json.bytes(info), scratch);
      // Check and rename under a lock: another thread or process may have unpacked the same
      // layer meanwhile, and a complete snapshot (maybe already a container's lower dir) must
      // never be mistaken for a broken one and deleted. rename(2) onto a non-empty directory
      // fails with ENOTEMPTY, which Java reports as a plain FileSystemException.
      try (StoreLock.Lease lease = renames.exclusive()) {
        if (has(info.chainId())) {
          return target; // Theirs; ours is deleted below.
        }
        if (Files.exists(target)) {
          FileTrees.delete(target); // An incomplete snapshot left by a crash or an interrupted delete.
        }
        Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
        scratch = null;
        FileSync.syncDirectory(snapshotsDir);
      }
      return target;
    } catch (IOException e) {
      throw new StoreIOException("unpacking layer " + info.layerDigest() + " into", snapshotsDir, e);
    } finally {
      if (scratch != null) {
        try {
          FileTrees.delete(scratch);
        } catch (IOException ignored) {
          // gc removes leftover unpack directories.
        }
      }
    }
  }

  /** Removes a snapshot (garbage collection only). */
  void delete(Digest chainId) throws IOException {
    Files.deleteIfExists(linkDir().resolve(chainId.hex().substring(0, LINK_NAME_LENGTH)));
    FileTrees.delete(path(chainId));
  }

  Path dir() {
    return snapshotsDir;
  }
}
