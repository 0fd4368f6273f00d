package dev.minke.dsl;

import dev.minke.build.StepResult;
import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Efficiency;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageAnalysis;
import dev.minke.image.ImageConfig;
import dev.minke.image.LayerListing;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import dev.minke.runtime.Containers;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.RunResult;
import dev.minke.store.ImagePush;
import dev.minke.store.PushOptions;
import dev.minke.store.PushResult;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image in the store: its manifest, config and layers, the name it was looked up or tagged
 * by, and (after a build) the steps that made it. Analysis (layer diffs, efficiency) is read
 * from the layer blobs the first time it is asked for.
 */
public final class Image {
  private final Store store;
  private final Descriptor manifestDescriptor;
  private final Manifest manifest;
  private final ImageConfig config;
  private final Reference reference;
  private final List<StepResult> steps;
  private volatile ImageAnalysis analysis;

  private Image(Store store, Descriptor manifestDescriptor, Manifest manifest, ImageConfig config,
      Reference reference, List<StepResult> steps) {
    this.store = store;
    this.manifestDescriptor = manifestDescriptor;
    this.manifest = manifest;
    this.config = config;
    this.reference = reference;
    this.steps = List.copyOf(steps);
  }

  /** The image a manifest descriptor names, read (and verified) from the store. */
  public static Image of(Store store, Descriptor manifestDescriptor, Reference reference) {
    Manifest manifest = store.manifest(manifestDescriptor.digest());
    return new Image(store, manifestDescriptor, manifest, store.config(manifest), reference, List.of());
  }

  /** The image a reference names in the store. */
  public static Image lookup(Store store, Reference reference) {
    return of(store, store.require(reference), reference.digest() == null ? reference : null);
  }

  /** The image a build stored, carrying the steps of its target stage (their verdicts and reasons). */
  public static Image of(Store store, dev.minke.build.BuildResult result) {
    return of(store, result.manifestDescriptor(), null).withSteps(result.steps());
  }

  Image withSteps(List<StepResult> buildSteps) {
    return new Image(store, manifestDescriptor, manifest, config, reference, buildSteps);
  }

  /** The manifest digest: the image's true, content-addressed name. */
  public Digest digest() {
    return manifestDescriptor.digest();
  }

  /** The config digest, which Docker shows as the IMAGE ID. */
  public Digest id() {
    return manifest.config().digest();
  }

  public Optional<Reference> reference() {
    return Optional.ofNullable(reference);
  }

  public Manifest manifest() {
    return manifest;
  }

  public Descriptor manifestDescriptor() {
    return manifestDescriptor;
  }

  public ImageConfig config() {
    return config;
  }

  public Store store() {
    return store;
  }

  /** The steps of the build that made this value (empty when it was looked up). */
  public List<StepResult> steps() {
    return steps;
  }

  /** The sum of the compressed layer blobs, what a pull transfers. */
  public long compressedSizeBytes() {
    return manifest.layers().stream().mapToLong(Descriptor::size).sum();
  }

  /** Tags the image in the store ({@code docker tag}); returns it under the new name. */
  public Image tag(String name) {
    Reference ref = Reference.parse(name);
    store.images().tag(ref, manifestDescriptor);
    return new Image(store, manifestDescriptor, manifest, config, ref, steps);
  }

  /**
   * Pushes the image to a registry ({@code docker push}), e.g. {@code
   * img.push("localhost:5000/me/hello:1.0")}; returns the pushed manifest digest and what moved.
   */
  public PushResult push(String target) {
    return push(target, PushOptions.defaults());
  }

  /** Pushes with options: jobs, a progress listener, registry settings. */
  public PushResult push(String target, PushOptions options) {
    // The store finds an image by name, or by digest for a value that has no name.
    Reference source = reference != null ? reference
        : new Reference("docker.io", "library/image", null, manifestDescriptor.digest());
    return ImagePush.push(store, source, Reference.parse(target), options);
  }

  /** The steps that made the image, newest first, as {@code docker image history} lists them. */
  public List<HistoryRow> history() {
    List<HistoryRow> rows = new ArrayList<>();
    int layer = 0;
    for (HistoryEntry entry : config.history()) {
      Optional<Digest> digest = Optional.empty();
      long size = 0;
      if (!entry.isEmptyLayer() && layer < manifest.layers().size()) {
        digest = Optional.of(manifest.layers().get(layer).digest());
        size = manifest.layers().get(layer).size();
        layer++;
      }
      rows.add(0, new HistoryRow(entry.createdBy(), entry.created(), digest, size, entry.comment()));
    }
    return rows;
  }

  /** The layers, bottom first. */
  public List<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    List<Digest> chainIds = config.rootfs().chainIds();
    List<String> createdBy = layerCommands();
    for (int i = 0; i < manifest.layers().size(); i++) {
      int index = i;
      layers.add(new Layer(i, manifest.layers().get(i), config.rootfs().diffIds().get(i), chainIds.get(i),
          createdBy.get(i), () -> analysis().layerDiffs().get(index), () -> analysis().layers().get(index)));
    }
    return layers;
  }

  /** One layer, 0 = the bottom one. */
  public Layer layer(int index) {
    List<Layer> layers = layers();
    if (index < 0 || index >= layers.size()) {
      throw new IndexOutOfBoundsException(
          "layer " + index + " does not exist: " + this + " has layers 0 to " + (layers.size() - 1));
    }
    return layers.get(index);
  }

  /** dive's efficiency score and wasted bytes for this image. */
  public Efficiency efficiency() {
    return analysis().efficiency();
  }

  /** Every layer's diff and the image's efficiency, computed once from the layer blobs. */
  public ImageAnalysis analysis() {
    ImageAnalysis result = analysis;
    if (result == null) {
      List<LayerListing> listings = new ArrayList<>();
      for (Descriptor layer : manifest.layers()) {
        try (InputStream raw = store.blobs().open(layer.digest());
            InputStream in = Compressions.decompress(raw, MediaType.compressionOf(layer.mediaType()))) {
          listings.add(LayerListing.read(in));
          raw.transferTo(java.io.OutputStream.nullOutputStream()); // Reading to the end verifies the digest.
        } catch (IOException e) {
          throw new StoreIOException("reading layer " + layer.digest() + " in", store.home(), e);
        }
      }
      result = ImageAnalysis.of(listings);
      analysis = result;
    }
    return result;
  }

  /**
   * Runs a command in a new container of this image and removes the container afterwards
   * ({@code docker run --rm IMAGE CMD...}); output is printed as it is written. An interrupt of
   * the calling thread stops the container (SIGTERM, SIGKILL after 2 s), removes it and throws
   * {@link dev.minke.runtime.RunInterruptedException}.
   */
  public RunResult run(String... command) {
    return run(RunOptions.defaults().withCommand(List.of(command)));
  }

  /** Runs a container with options (env, workdir, user, hostname, memory, cpus, pids, read-only root). */
  public RunResult run(RunOptions options) {
    return new Containers(store).run(manifestDescriptor, reference == null ? digest().toString() : reference.familiar(),
        options, ConsoleOutput.INSTANCE, true);
  }

  /**
   * Starts a container of this image in the background ({@code docker run -d}) and returns it;
   * it keeps running after this JVM exits until stopped.
   */
  public Container start(String... command) {
    return start(RunOptions.defaults().withCommand(List.of(command)));
  }

  /** Starts a container in the background with options. */
  public Container start(RunOptions options) {
    Containers containers = new Containers(store);
    var record = containers.create(manifestDescriptor,
        reference == null ? digest().toString() : reference.familiar(), options, null);
    containers.startDetached(record.id());
    return new Container(store, record.id());
  }

  /** Prints the image, its layers and its history as tables. */
  public void show() {
    System.out.print(Texts.imageTables(this));
  }

  private List<String> layerCommands() {
    List<String> commands = new ArrayList<>();
    for (HistoryEntry entry : config.history()) {
      if (!entry.isEmptyLayer()) {
        commands.add(entry.createdBy() == null ? "" : entry.createdBy());
      }
    }
    while (commands.size() < manifest.layers().size()) {
      commands.add("");
    }
    return commands;
  }

  @Override
  public String toString() {
    int n = manifest.layers().size();
    return "Image[" + (reference == null ? "<untagged>" : reference.familiar()) + " " + n
        + (n == 1 ? " layer " : " layers ") + Texts.bytes(compressedSizeBytes()) + " "
        + digest().algorithm() + ":" + digest().shortHex() + "…]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Image image && image.digest().equals(digest())
        && java.util.Objects.equals(image.reference, reference);
  }

  @Override
  public int hashCode() {
    return digest().hashCode();
  }
}
