package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes an image from the store to a registry ({@code docker push}): each blob is checked with
 * HEAD, mounted from another repository of the same registry when the store knows it came from
 * one, or uploaded; the missing ones in parallel. The manifest goes last, so the name never
 * points at an incomplete image. The manifest's stored bytes are sent as they are: the pushed
 * digest is the store's digest. An index is pushed with each platform manifest the store has.
 */
public final class ImagePush {
  private final Store store;
  private final RegistryClient client;
  private final PushOptions options;
  private final Map<Digest, String> mountSources;
  private final AtomicLong bytesUploaded = new AtomicLong();
  private final Map<RegistryClient.BlobPush, Integer> counts = new HashMap<>();

  private ImagePush(Store store, RegistryClient client, PushOptions options, Reference target) {
    this.store = store;
    this.client = client;
    this.options = options;
    this.mountSources = mountSources(store, target);
  }

  /**
   * Pushes the image {@code source} names in the store to {@code target}.
   *
   * @throws ImageNotFoundException if the store has no image {@code source}
   * @throws dev.minke.registry.RegistryAuthException when the registry wants credentials
   * @throws TransferInterruptedException when the calling thread is interrupted: the uploads are
   *     aborted and no manifest or tag is written
   */
  public static PushResult push(Store store, Reference source, Reference target, PushOptions options) {
    try {
      return pushTo(store, source, target, options);
    } catch (RuntimeException e) {
      throw ParallelTransfers.whenInterrupted(e, TransferInterruptedException.Direction.PUSH, target.toString());
    }
  }

  private static PushResult pushTo(Store store, Reference source, Reference target, PushOptions options) {
    Descriptor descriptor = store.require(source);
    Reference to = target.digest() == null ? target.tagNameOnly() : target;
    ImagePush push = new ImagePush(store, RegistryClient.create(options.registry()), options, to);
    Digest digest;
    if (MediaType.isIndex(descriptor.mediaType())) {
      Index index = Json.read(store.blobs().readAll(descriptor.digest()), Index.class);
      for (Descriptor child : index.manifests()) {
        if (MediaType.isManifest(child.mediaType()) && store.blobs().has(child.digest())) {
          push.pushImage(child, new Reference(to.registry(), to.repository(), null, child.digest()));
        }
      }
      digest = push.putManifest(descriptor, to);
    } else {
      digest = push.pushImage(descriptor, to);
    }
    return new PushResult(to, digest, push.count(RegistryClient.BlobPush.UPLOADED),
        push.count(RegistryClient.BlobPush.MOUNTED), push.count(RegistryClient.BlobPush.EXISTED),
        push.bytesUploaded.get());
  }

  /** Pushes with {@link PushOptions#defaults()}. */
  public static PushResult push(Store store, Reference source, Reference target) {
    return push(store, source, target, PushOptions.defaults());
  }

  private Digest pushImage(Descriptor descriptor, Reference target) {
    Manifest manifest = store.manifest(descriptor.digest());
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    manifest.layers().forEach(layer -> blobs.putIfAbsent(layer.digest(), layer));
    blobs.putIfAbsent(manifest.config().digest(), manifest.config());
    List<RegistryClient.BlobPush> outcomes = ParallelTransfers.run(new ArrayList<>(blobs.values()), options.jobs(),
        (blob, cancellation) -> pushBlob(target, blob, cancellation));
    synchronized (counts) {
      outcomes.forEach(outcome -> counts.merge(outcome, 1, Integer::sum));
    }
    return putManifest(descriptor, target);
  }

  private Digest putManifest(Descriptor descriptor, Reference target) {
    byte[] bytes = store.blobs().readAll(descriptor.digest());
    return client.putManifest(target, descriptor.mediaType(), bytes);
  }

  private RegistryClient.BlobPush pushBlob(Reference target, Descriptor blob,
      ParallelTransfers.Cancellation cancellation) {
    TransferListener listener = options.listener();
    listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), TransferEvent.Kind.STARTED, 0, blob.size()));
    AtomicLong done = new AtomicLong();
    RegistryClient.BlobPush outcome = client.pushBlob(target, blob, () -> store.blobs().open(blob.digest()),
        mountSources.get(blob.digest()), n -> {
          cancellation.check();
          bytesUploaded.addAndGet(n);
          listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), TransferEvent.Kind.PROGRESS,
              done.addAndGet(n), blob.size()));
        });
    TransferEvent.Kind kind = switch (outcome) {
      case EXISTED -> TransferEvent.Kind.EXISTS;
      case MOUNTED -> TransferEvent.Kind.MOUNTED;
      case UPLOADED -> TransferEvent.Kind.DONE;
    };
    listener.onEvent(new TransferEvent(blob.digest(), blob.mediaType(), kind, done.get(), blob.size()));
    return outcome;
  }

  private int count(RegistryClient.BlobPush outcome) {
    synchronized (counts) {
      return counts.getOrDefault(outcome, 0);
    }
  }

  /**
   * Which other repository of the target's registry each blob is known in: the store's names
   * on that registry (images pulled from or pushed to it) say so. A mount is then a request, not
   * an upload; if the registry declines, the upload happens anyway.
   */
  static Map<Digest, String> mountSources(Store store, Reference target) {
    Map<Digest, String> sources = new HashMap<>();
    for (StoredImage image : store.images().list()) {
      if (image.reference().isEmpty() || !MediaType.isManifest(image.manifest().mediaType())) {
        continue;
      }
      Reference name = image.reference().get();
      if (!name.registry().equals(target.registry()) || name.repository().equals(target.repository())
          || !store.blobs().has(image.manifest().digest())) {
        continue;
      }
      Manifest manifest = store.manifest(image.manifest().digest());
      sources.putIfAbsent(manifest.config().digest(), name.repository());
      manifest.layers().forEach(layer -> sources.putIfAbsent(layer.digest(), name.repository()));
    }
    return sources;
  }
}
