package dev.minke.store;

import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.store.FsckReport.Kind;
import dev.minke.store.FsckReport.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a store: the layout files, every blob against its digest, every document the index
 * reaches (manifests, configs, layers with their diff IDs), and every snapshot (its record, its
 * files, and the snapshots below it).
 */
final class Fsck {
  private final Store store;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Set<Digest> corrupt = new HashSet<>();

  Fsck(Store store) {
    this.store = store;
  }

  FsckReport check() {
    checkLayout();
    List<Digest> blobs = store.blobs().list();
    blobs.forEach(this::checkBlobDigest);
    try {
      for (Descriptor d : store.images().read().manifests()) {
        checkDescriptor(d, "index.json");
      }
    } catch (RuntimeException malformedIndex) {
      problems.add(new Problem(Kind.MALFORMED, "index.json", malformedIndex.getMessage()));
    }
    List<Digest> snapshots = store.snapshots().list();
    snapshots.forEach(this::checkSnapshot);
    noteLeftovers(store.home().resolve("tmp"));
    return new FsckReport(problems, notes, blobs.size(), snapshots.size());
  }

  private void checkLayout() {
    Path layout = store.home().resolve(Store.LAYOUT_FILE);
    try {
      String content = Files.readString(layout, StandardCharsets.UTF_8);
      if (!Json.mapper().readTree(content).path("imageLayoutVersion").asText().equals("1.0.0")) {
        problems.add(new Problem(Kind.BAD_LAYOUT, layout.toString(), "imageLayoutVersion is not 1.0.0"));
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.BAD_LAYOUT, layout.toString(), "unreadable: " + e.getMessage()));
    }
  }

  private void checkBlobDigest(Digest digest) {
    try (InputStream in = Files.newInputStream(store.blobs().path(digest))) {
      MessageDigest hasher = digest.newHasher();
      try (DigestInputStream hashing = new DigestInputStream(in, hasher)) {
        hashing.transferTo(OutputStream.nullOutputStream());
      }
      Digest actual = new Digest(digest.algorithm(), java.util.HexFormat.of().formatHex(hasher.digest()));
      if (!actual.equals(digest)) {
        corrupt.add(digest);
        problems.add(new Problem(Kind.CORRUPT_BLOB, digest.toString(), "content hashes to " + actual));
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.CORRUPT_BLOB, digest.toString(), "unreadable: " + e.getMessage()));
    }
  }

  /** Checks that a referenced blob is there with its size, then what it refers to. */
  private void checkDescriptor(Descriptor d, String referrer) {
    if (!store.blobs().has(d.digest())) {
      problems.add(new Problem(Kind.MISSING_BLOB, d.digest().toString(), "referenced by " + referrer));
      return;
    }
    if (store.blobs().size(d.digest()) != d.size()) {
      problems.add(new Problem(Kind.WRONG_SIZE, d.digest().toString(),
          "is " + store.blobs().size(d.digest()) + " bytes, " + referrer + " says " + d.size()));
    }
    if (corrupt.contains(d.digest())) {
      return;
    }
    try {
      if (MediaType.isIndex(d.mediaType())) {
        for (Descriptor child : Json.read(store.blobs().readAll(d.digest()), Index.class).manifests()) {
          checkDescriptor(child, "index " + d.digest().shortHex());
        }
      } else if (MediaType.isManifest(d.mediaType())) {
        checkManifest(d.digest(), Json.read(store.blobs().readAll(d.digest()), Manifest.class));
      }
    } catch (RuntimeException e) {
      problems.add(new Problem(Kind.MALFORMED, d.digest().toString(), e.getMessage()));
    }
  }

  private void checkManifest(Digest manifestDigest, Manifest manifest) {
    String referrer = "manifest " + manifestDigest.shortHex();
    checkDescriptor(manifest.config(), referrer);
    manifest.layers().forEach(layer -> checkDescriptor(layer, referrer));
    if (!store.blobs().has(manifest.config().digest()) || corrupt.contains(manifest.config().digest())) {
      return;
    }
    ImageConfig config = Json.read(store.blobs().readAll(manifest.config().digest()), ImageConfig.class);
    List<Digest> diffIds = config.rootfs().diffIds();
    if (diffIds.size() != manifest.layers().size()) {
      problems.add(new Problem(Kind.MALFORMED, manifestDigest.toString(), "the config lists " + diffIds.size()
          + " diff IDs for " + manifest.layers().size() + " layers"));
      return;
    }
    for (int i = 0; i < diffIds.size(); i++) {
      checkDiffId(manifest.layers().get(i), diffIds.get(i));
    }
  }

  /** The uncompressed layer must hash to the diff ID the config lists. */
  private void checkDiffId(Descriptor layer, Digest diffId) {
    if (!store.blobs().has(layer.digest()) || corrupt.contains(layer.digest())) {
      return;
    }
    try (InputStream raw = Files.newInputStream(store.blobs().path(layer.digest()));
        InputStream tar = Compressions.decompress(raw, MediaType.compressionOf(layer.mediaType()))) {
      MessageDigest hasher = diffId.newHasher();
      new DigestInputStream(tar, hasher).transferTo(OutputStream.nullOutputStream());
      Digest actual = new Digest(diffId.algorithm(), java.util.HexFormat.of().formatHex(hasher.digest()));
      if (!actual.equals(diffId)) {
        problems.add(new Problem(Kind.WRONG_DIFF_ID, layer.digest().toString(),
            "uncompressed it hashes to " + actual + ", the config says " + diffId));
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.MALFORMED, layer.digest().toString(), "cannot decompress: " + e.getMessage()));
    }
  }

  private void checkSnapshot(Digest chainId) {
    SnapshotStore snapshots = store.snapshots();
    Path dir = snapshots.path(chainId);
    if (!Files.isRegularFile(dir.resolve(SnapshotStore.META_FILE))) {
      problems.add(new Problem(Kind.BROKEN_SNAPSHOT, chainId.toString(), "has no " + SnapshotStore.META_FILE));
      return;
    }
    if (!Files.isDirectory(dir.resolve(SnapshotStore.FS_DIR))) {
      problems.add(new Problem(Kind.MISSING_SNAPSHOT, chainId.toString(), "its files (" + dir.resolve(SnapshotStore.FS_DIR) + ") are gone"));
      return;
    }
    try {
      SnapshotStore.SnapshotInfo info = snapshots.info(chainId);
      if (!info.chainId().equals(chainId)) {
        problems.add(new Problem(Kind.BROKEN_SNAPSHOT, chainId.toString(), "its record names chain " + info.chainId()));
      }
      if (info.parent() != null && !snapshots.has(info.parent())) {
        problems.add(new Problem(Kind.MISSING_SNAPSHOT, info.parent().toString(), "the parent of snapshot " + chainId.shortHex() + " is missing"));
      }
      new SnapshotVerifier(store).verify(info, dir.resolve(SnapshotStore.FS_DIR))
          .forEach(detail -> problems.add(new Problem(Kind.BROKEN_SNAPSHOT, chainId.toString(), detail)));
    } catch (RuntimeException e) {
      problems.add(new Problem(Kind.BROKEN_SNAPSHOT, chainId.toString(), e.getMessage()));
    }
  }

  private void noteLeftovers(Path tmp) {
    if (!Files.isDirectory(tmp)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path entry : entries) {
        notes.add("leftover temp file " + entry.getFileName() + " (an interrupted write; `minke gc` removes it)");
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.BAD_LAYOUT, tmp.toString(), "unreadable: " + e.getMessage()));
    }
  }
}
