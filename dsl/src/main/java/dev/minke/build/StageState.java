package dev.minke.build;

import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryException;
import dev.minke.store.BlobWriter;
import dev.minke.store.ImageNotFoundException;
import dev.minke.store.ImagePull;
import dev.minke.store.PullOptions;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The image a stage has built so far: config, layers, and (on demand) its filesystem view. */
final class StageState {
  private final Store store;
  private final Digest baseManifestDigest;
  private ImageConfig config;
  private final List<Descriptor> layers;
  private ImageFilesystem filesystem;
  /** How many of {@link #layers} (bottom first) {@link #filesystem} reflects. */
  private int layersInFilesystem;
  /** Whether {@link #filesystem} was read from layer tars alone (no entries applied by a step). */
  private boolean fromTarsOnly;

  private StageState(Store store, Digest baseManifestDigest, ImageConfig config, List<Descriptor> layers) {
    this.store = store;
    this.baseManifestDigest = baseManifestDigest;
    this.config = config;
    this.layers = new ArrayList<>(layers);
  }

  static StageState start(BaseImage base, Store store) {
    if (base instanceof BaseImage.Named named) {
      // FROM an image the store lacks pulls it, as `docker build` does (policy `missing`).
      Descriptor descriptor = store.images().resolve(named.reference())
          .orElseGet(() -> pullBase(store, named.reference()));
      Manifest manifest = store.manifest(descriptor.digest());
      return new StageState(store, descriptor.digest(), store.config(manifest), manifest.layers());
    }
    return new StageState(store, null, ImageConfig.scratch(null), List.of());
  }

  /**
   * A stage that starts where {@code parent} ended ({@code FROM stage}): the same layers, config
   * and history; the filesystem view is read again when needed, so the parent's is never changed.
   */
  static StageState startFrom(StageState parent) {
    synchronized (parent) {
      return new StageState(parent.store, null, parent.config, parent.layers);
    }
  }

  /** The manifest digest of the base image; null for scratch and for a stage based on another. */
  Digest baseManifestDigest() {
    return baseManifestDigest;
  }

  /** The layers so far, bottom first. */
  List<Descriptor> layers() {
    return List.copyOf(layers);
  }

  /**
   * The image so far as a manifest, for unpacking its snapshots: the layers are real, the config
   * descriptor is a placeholder (nothing reads it; the config is {@link #config()}).
   */
  Manifest manifestSoFar() {
    return Manifest.oci(Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(new byte[0]), 0), layers);
  }

  private static Descriptor pullBase(Store store, Reference reference) {
    try {
      return ImagePull.pull(store, reference, PullOptions.defaults()).manifest();
    } catch (RegistryException e) {
      throw new ImageNotFoundException(reference.familiar(), e.problem(), e);
    }
  }

  ImageConfig config() {
    return config;
  }

  void setConfig(ImageConfig newConfig) {
    config = newConfig;
  }

  /**
   * The filesystem so far, read from the layers the first time a step needs it; later, only the
   * layers added since (a RUN's, a cached step's) are read and applied on top, in order, which
   * gives the same view as reading every layer again.
   */
  synchronized ImageFilesystem filesystem() {
    if (filesystem == null) {
      layersInFilesystem = 0;
      filesystem = new ImageFilesystem();
      for (int n = layers.size(); n > 0; n--) {
        ImageFilesystem known = ReadViews.get(layers.subList(0, n));
        if (known != null) {
          filesystem = known;
          layersInFilesystem = n;
          break;
        }
      }
      fromTarsOnly = true;
    }
    boolean read = false;
    while (layersInFilesystem < layers.size()) {
      read = true;
      Descriptor layer = layers.get(layersInFilesystem);
      try (InputStream in = Compressions.decompress(
          store.blobs().open(layer.digest()), MediaType.compressionOf(layer.mediaType()))) {
        filesystem.applyTar(in);
      } catch (IOException e) {
        filesystem = null; // Half applied: read everything again next time.
        throw new StoreIOException("reading layer " + layer.digest() + " from", store.home(), e);
      }
      layersInFilesystem++;
    }
    if (read && fromTarsOnly) {
      ReadViews.put(layers.subList(0, layersInFilesystem), filesystem);
    }
    return filesystem;
  }

  /**
   * Views read from layer tars alone, by their layer list, for the life of the JVM: blobs are
   * content-addressed, so the same list always reads the same view, and the next build from
   * the same base (a rebuild in a JShell session) need not gunzip and scan it again. Bounded;
   * callers get copies, since a build changes its view.
   */
  private static final class ReadViews {
    private static final int MAX = 16;
    private static final java.util.Map<List<Descriptor>, ImageFilesystem> VIEWS =
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(java.util.Map.Entry<List<Descriptor>, ImageFilesystem> eldest) {
            return size() > MAX;
          }
        };

    static synchronized ImageFilesystem get(List<Descriptor> layers) {
      ImageFilesystem view = VIEWS.get(layers);
      return view == null ? null : view.copy();
    }

    static synchronized void put(List<Descriptor> layers, ImageFilesystem view) {
      VIEWS.put(List.copyOf(layers), view.copy());
    }
  }

  /**
   * An OCI manifest lists at least one layer (image-spec, manifest schema), so an image made
   * only of config steps on scratch gets one empty tar layer, said so in its history.
   */
  private void addEmptyLayer(Operation operation, String created) {
    try (BlobWriter out = operation.newWriter()) {
      LayerBlob blob = new LayerWriter(LayerWriterOptions.defaults()).write(List.of(), out);
      out.commit();
      addLayer(blob, HistoryEntry.layer(created, "# empty layer: an OCI image has at least one"));
    } catch (IOException e) {
      throw new StoreIOException("writing an empty layer into", store.home(), e);
    }
  }

  /** Adds a layer whose entries the caller already applied to {@link #filesystem()}. */
  void addLayer(LayerBlob blob, HistoryEntry history) {
    layers.add(blob.descriptor());
    config = config.plusLayer(blob.diffId(), history);
    appliedByCaller();
  }

  /** Adds a cached layer whose entries the caller already applied to {@link #filesystem()}. */
  void addLayerKeepingFilesystem(Descriptor layer, Digest diffId, HistoryEntry history) {
    layers.add(layer);
    config = config.plusLayer(diffId, history);
    appliedByCaller();
  }

  /** The caller applied the newest layer's entries to {@link #filesystem()} itself. */
  private void appliedByCaller() {
    if (filesystem != null && layersInFilesystem == layers.size() - 1) {
      layersInFilesystem = layers.size();
      fromTarsOnly = false;
    }
  }

  /**
   * Adds a layer made elsewhere (a RUN, the cache); the filesystem view reads it when next
   * needed.
   */
  void addOpaqueLayer(Descriptor layer, Digest diffId, HistoryEntry history) {
    layers.add(layer);
    config = config.plusLayer(diffId, history);
  }

  /** Writes config and manifest, records the image untagged, commits, and returns the result. */
  BuildResult finish(Operation operation, String created, List<StepResult> steps) {
    BuildResult result = finishImage(operation, created, steps);
    operation.commit();
    return result;
  }

  /**
   * Writes config and manifest and records the image untagged, leaving the commit to the caller
   * (a build of several stages commits once, when all of them have succeeded).
   */
  BuildResult finishImage(Operation operation, String created, List<StepResult> steps) {
    if (layers.isEmpty()) {
      addEmptyLayer(operation, created);
    }
    ImageConfig finalConfig = config.withCreated(created);
    Descriptor configDescriptor = operation.putConfig(finalConfig);
    Manifest manifest = Manifest.oci(configDescriptor, layers);
    Descriptor manifestDescriptor = operation.putManifest(manifest).withPlatform(finalConfig.platform());
    store.images().addUntagged(manifestDescriptor);
    return new BuildResult(manifestDescriptor, manifest, finalConfig, steps);
  }
}
