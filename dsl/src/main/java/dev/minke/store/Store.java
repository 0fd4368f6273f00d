package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minke's on-disk store: one directory that is a standard OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/}) plus Minke's own state beside it ({@code
 * snapshots/}, {@code tmp/}, lock files).
 *
 * <p>Any number of threads and JVMs may use one store. Operations that write blobs before they
 * are referenced (a build, a pull, a load) hold an {@link #operation()} lease so that garbage
 * collection, which takes the same lock exclusively, cannot delete them half way.
 */
public final class Store {
  static final String LAYOUT_FILE = "oci-layout";
  static final String LAYOUT_CONTENT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  private final Path home;
  private final BlobStore blobs;
  private final ImageIndex images;
  private final SnapshotStore snapshots;
  private final StoreLock operations;
  private final BuildCacheIndex cache;

  private Store(Path home) {
    this.home = home;
    Path tmp = home.resolve("tmp");
    this.blobs = new BlobStore(home.resolve("blobs"), tmp);
    this.images = new ImageIndex(home.resolve("index.json"), tmp, StoreLock.of(home.resolve("index.lock")));
    this.operations = StoreLock.of(home.resolve("gc.lock"));
    this.snapshots = new SnapshotStore(home.resolve("snapshots"), blobs, operations);
    this.cache = new BuildCacheIndex(home.resolve("cache"), tmp);
  }

  /** Opens (and on first use creates) the store at {@code home}. */
  public static Store open(Path home) {
    Store store = new Store(home.toAbsolutePath().normalize());
    store.initLayout();
    return store;
  }

  /** Opens the store at {@code $MINKE_HOME}, default {@code ~/.local/share/minke}. */
  public static Store openDefault() {
    return open(defaultHome());
  }

  /**
   * The system property {@code minke.home} (tests and embedders), else {@code $MINKE_HOME}, else
   * {@code ~/.local/share/minke}.
   */
  public static Path defaultHome() {
    String property = System.getProperty("minke.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv("MINKE_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "minke");
  }

  private void initLayout() {
    try {
      Files.createDirectories(blobs.sha256Dir());
      Files.createDirectories(home.resolve("tmp"));
      Path layout = home.resolve(LAYOUT_FILE);
      if (!Files.exists(layout)) {
        FileSync.writeAtomically(layout, LAYOUT_CONTENT.getBytes(StandardCharsets.UTF_8), home.resolve("tmp"));
      }
      images.createIfAbsent();
    } catch (IOException e) {
      throw new StoreIOException("creating the store in", home, e);
    }
  }

  public Path home() {
    return home;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public ImageIndex images() {
    return images;
  }

  public SnapshotStore snapshots() {
    return snapshots;
  }

  /** The build cache's index ({@code cache/}). */
  public BuildCacheIndex cache() {
    return cache;
  }

  /**
   * Removes unreferenced blobs and snapshots and leftover temp files ({@code minke gc}). Waits for
   * running operations; throws {@link IllegalStateException} if this thread runs one itself.
   */
  public GcReport gc() {
    return new GarbageCollector(this).collect();
  }

  /** Checks every reference, blob digest and snapshot ({@code minke fsck}). */
  public FsckReport fsck() {
    try (Operation operation = operation()) {
      operation.commit();
      return new Fsck(this).check();
    }
  }

  /**
   * Starts an operation that writes blobs before anything references them (a build, a pull, a
   * load). While it runs, garbage collection waits. Call {@link Operation#commit()} when it has
   * recorded what it made; closing an operation that did not commit removes the blobs it added,
   * so a failed operation leaves the store as it was.
   */
  public Operation operation() {
    return new Operation(this, operations.shared());
  }

  StoreLock.Lease exclusive() {
    return operations.exclusive();
  }

  /** The manifest a reference names; throws {@link ImageNotFoundException} if there is none. */
  public Descriptor require(Reference reference) {
    return images.resolve(reference)
        .orElseThrow(() -> new ImageNotFoundException(reference.familiar()));
  }

  /** Reads and verifies a manifest blob. */
  public Manifest manifest(Digest digest) {
    return Json.read(blobs.readAll(digest), Manifest.class);
  }

  /** Reads and verifies the config blob a manifest points at. */
  public ImageConfig config(Manifest manifest) {
    return Json.read(blobs.readAll(manifest.config().digest()), ImageConfig.class);
  }

  /**
   * Removes blobs a failed operation added, unless something references them by now. Runs with
   * every other operation finished (exclusive lock), so no unreferenced blob still in use by a
   * running build can be taken.
   */
  void rollback(java.util.Set<Digest> addedBlobs, java.util.Set<Digest> addedSnapshots) {
    if ((addedBlobs.isEmpty() && addedSnapshots.isEmpty()) || operations.heldByCurrentThread()) {
      // Nested in another operation of this thread, whose lease the exclusive lock would wait
      // for forever: leave the blobs to `minke gc`.
      return;
    }
    try (StoreLock.Lease lease = exclusive()) {
      References references = new References(this);
      java.util.Set<Digest> referenced = references.reachableBlobs();
      java.util.Set<Digest> liveChains = GarbageCollector.liveChainIds(this, references.reachableConfigs());
      for (Digest chainId : addedSnapshots) {
        if (!liveChains.contains(chainId)) {
          try {
            snapshots.delete(chainId);
          } catch (IOException e) {
            // Left for `minke gc`.
          }
        }
      }
      for (Digest digest : addedBlobs) {
        if (!referenced.contains(digest)) {
          try {
            blobs.delete(digest);
          } catch (IOException e) {
            // Left for `minke gc`; the operation's own error is the one to report.
          }
        }
      }
    }
  }
}
