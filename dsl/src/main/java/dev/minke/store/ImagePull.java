package dev.minke.store;

import dev.minke.error.MinkeException;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.image.Platform;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryClient;
import dev.minke.registry.RemoteManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls an image from a registry into the store ({@code docker pull}).
 *
 * <p>The name is resolved to a manifest; an index is resolved to the manifest of the wanted
 * platform. Config and layers are fetched in parallel, each verified while it streams in; blobs
 * the store has are not fetched. Only when everything is stored is the name tagged; a failure
 * before that removes what the pull added.
 *
 * <p>Of an index, the store keeps the platform's manifest, tagged, with the index digest in the
 * {@link PullResult#INDEX_DIGEST} annotation. Docker tags the index instead; but every Minke
 * consumer (build, run, save) wants one image per name, and storing an index whose other
 * platforms' blobs are absent would make the store's layout incomplete for skopeo and umoci.
 */
public final class ImagePull {
  private final Store store;
  private final RegistryClient client;
  private final PullOptions options;
  private final AtomicLong bytesFetched = new AtomicLong();

  private ImagePull(Store store, RegistryClient client, PullOptions options) {
    this.store = store;
    this.client = client;
    this.options = options;
  }

  /**
   * Pulls {@code reference} as {@code options.policy()} says: {@code MISSING} returns what the store
   * has under the name without asking the registry, {@code NEVER} never asks it.
   *
   * @throws ImageNotFoundException with {@code NEVER} when the store lacks the image
   * @throws dev.minke.registry.ManifestUnknownException when the registry has no such image or tag
   * @throws dev.minke.registry.RegistryAuthException when the registry wants credentials
   * @throws TransferInterruptedException when the calling thread is interrupted: the transfers
   *     are aborted and nothing of the image (no blob, temp file or tag) stays in the store
   */
  public static PullResult pull(Store store, Reference reference, PullOptions options) {
    if (options.policy() != PullPolicy.ALWAYS) {
      Optional<Descriptor> local = store.images().resolve(reference);
      if (local.isPresent()) {
        Optional<Digest> index = Optional.ofNullable(local.get().annotations().get(PullResult.INDEX_DIGEST))
            .map(Digest::parse);
        return new PullResult(reference, local.get(), index, 0, 0, 0);
      }
      if (options.policy() == PullPolicy.NEVER) {
        throw new ImageNotFoundException(reference.familiar());
      }
    }
    try {
      return new ImagePull(store, RegistryClient.create(options.registry()), options).run(reference);
    } catch (RuntimeException e) {
      throw ParallelTransfers.whenInterrupted(e, TransferInterruptedException.Direction.PULL, reference.toString());
    }
  }

  /** Pulls with {@link PullOptions#defaults()} but policy {@code ALWAYS}, as {@code docker pull} does. */
  public static PullResult pull(Store store, Reference reference) {
    return pull(store, reference, PullOptions.defaults().withPolicy(PullPolicy.ALWAYS));
  }

  private PullResult run(Reference reference) {
    RemoteManifest top = client.manifest(reference);
    RemoteManifest image = top;
    Optional<Digest> indexDigest = Optional.empty();
    Platform platform = null;
    if (top.isIndex()) {
      Descriptor chosen = RegistryClient.selectPlatform(reference, top.index(), options.platform());
      image = client.manifest(new Reference(reference.registry(), reference.repository(), null, chosen.digest()));
      indexDigest = Optional.of(top.digest());
      platform = chosen.platform();
    }
    if (!MediaType.isManifest(image.mediaType())) {
      throw new MinkeException("image " + reference + " has a manifest of media type " + image.mediaType()
          + ", which Minke cannot pull", "Minke pulls OCI and Docker schema 2 images");
    }
    Manifest manifest = image.manifest();
    if (!MediaType.isConfig(manifest.config().mediaType())) {
      throw new MinkeException("image " + reference + " is an artifact of type " + manifest.config().mediaType()
          + ", not a container image", "pull container images only");
    }
    try (Operation operation = store.operation()) {
      Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
      blobs.put(manifest.config().digest(), manifest.config());
      manifest.layers().forEach(layer -> blobs.putIfAbsent(layer.digest(), layer));
      List<Boolean> fetched = ParallelTransfers.run(new ArrayList<>(blobs.values()), options.jobs(),
          (blob, cancellation) -> fetch(operation, reference, blob, cancellation));
      operation.writeExpecting(new ByteArrayInputStream(image.bytes()), image.digest(), "registry " + reference.registry());
      ImageConfig config = store.config(manifest);
      Descriptor stored = Descriptor.of(image.mediaType(), image.digest(), image.sizeBytes())
          .withPlatform(platform != null ? platform : config.platform());
      if (indexDigest.isPresent()) {
        stored = stored.withAnnotations(Map.of(PullResult.INDEX_DIGEST, indexDigest.get().toString()));
      }
      // Only now, with every blob stored and verified, does the name change.
      if (reference.digest() == null) {
        store.images().tag(reference.tagNameOnly(), stored);
      } else {
        store.images().addUntagged(stored);
      }
      operation.commit();
      int count = (int) fetched.stream().filter(f -> f).count();
      return new PullResult(reference, stored, indexDigest, count, fetched.size() - count, bytesFetched.get());
    }
  }

  /** Fetches one blob unless the store has it; returns whether it was fetched. */
  private boolean fetch(Operation operation, Reference reference, Descriptor blob,
      ParallelTransfers.Cancellation cancellation) {
    TransferListener listener = options.listener();
    if (store.blobs().has(blob.digest())) {
      listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), TransferEvent.Kind.EXISTS, 0, blob.size()));
      return false;
    }
    listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), TransferEvent.Kind.STARTED, 0, blob.size()));
    AtomicLong done = new AtomicLong();
    try (BlobWriter writer = operation.newWriter()) {
      client.fetchBlob(reference, blob, writer, n -> {
        cancellation.check();
        bytesFetched.addAndGet(n);
        listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), TransferEvent.Kind.PROGRESS,
            done.addAndGet(n), blob.size()));
      });
      writer.commitExpecting(blob.digest(), "registry " + reference.registry());
    } catch (IOException e) {
      throw new StoreIOException("storing blob " + blob.digest() + " in", store.home(), e);
    } catch (UncheckedIOException e) {
      throw new StoreIOException("storing blob " + blob.digest() + " in", store.home(), e.getCause());
    }
    listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), TransferEvent.Kind.DONE, done.get(), blob.size()));
    return true;
  }
}
