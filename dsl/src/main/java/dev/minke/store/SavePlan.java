package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.registry.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What saving some images writes, worked out before the first byte: every blob once with its
 * size, the OCI {@code index.json}, and Docker's {@code manifest.json} and {@code repositories}.
 * Names are sorted, so the same images in any order give the same plan.
 */
final class SavePlan {
  /** containerd's annotation for the full name; Docker's save writes it since Docker 25. */
  static final String IMAGE_NAME = "io.containerd.image.name";

  private final SortedMap<Digest, Long> blobs = new TreeMap<>();
  private final List<Descriptor> indexEntries = new ArrayList<>();
  private final List<DockerManifestItem> dockerManifest = new ArrayList<>();
  private final SortedMap<String, SortedMap<String, String>> repositories = new TreeMap<>();
  private final Store store;

  private SavePlan(Store store) {
    this.store = store;
  }

  /** Plans the images {@code refs} name; throws {@link ImageNotFoundException} for a missing one. */
  static SavePlan of(Store store, List<Reference> refs) {
    SavePlan plan = new SavePlan(store);
    Map<Digest, List<Reference>> namesByImage = new LinkedHashMap<>();
    Map<Digest, Descriptor> images = new LinkedHashMap<>();
    TreeSet<String> seen = new TreeSet<>();
    List<Reference> sorted = new ArrayList<>(refs);
    sorted.sort((a, b) -> a.toString().compareTo(b.toString()));
    for (Reference ref : sorted) {
      if (!seen.add(ref.toString())) {
        continue;
      }
      Descriptor manifest = store.require(ref);
      images.putIfAbsent(manifest.digest(), manifest);
      List<Reference> names = namesByImage.computeIfAbsent(manifest.digest(), d -> new ArrayList<>());
      if (ref.tag() != null) {
        names.add(new Reference(ref.registry(), ref.repository(), ref.tag(), null));
      }
    }
    for (Map.Entry<Digest, Descriptor> image : images.entrySet()) {
      plan.add(image.getValue(), namesByImage.get(image.getKey()));
    }
    return plan;
  }

  private void add(Descriptor stored, List<Reference> names) {
    Descriptor plain = stored.withAnnotations(Map.of());
    if (names.isEmpty()) {
      indexEntries.add(plain);
    }
    for (Reference name : names) {
      indexEntries.add(plain.withAnnotations(Map.of(IMAGE_NAME, name.toString(), ImageIndex.REF_NAME, name.tag())));
    }
    addBlobs(stored, 0);
    if (!MediaType.isManifest(stored.mediaType())) {
      return; // An index has no single config: only the OCI side of the archive can hold it.
    }
    Manifest manifest = store.manifest(stored.digest());
    List<String> layerPaths = manifest.layers().stream().map(l -> blobPath(l.digest())).toList();
    List<String> repoTags = names.stream().map(Reference::familiar).toList();
    dockerManifest.add(new DockerManifestItem(blobPath(manifest.config().digest()), repoTags, layerPaths));
    if (!manifest.layers().isEmpty()) {
      String topLayer = manifest.layers().get(manifest.layers().size() - 1).digest().hex();
      for (Reference name : names) {
        repositories.computeIfAbsent(name.familiarName(), n -> new TreeMap<>()).put(name.tag(), topLayer);
      }
    }
  }

  private void addBlobs(Descriptor descriptor, int depth) {
    if (depth > 8) {
      throw new IllegalStateException("image indexes nested deeper than 8 levels at " + descriptor.digest());
    }
    blobs.put(descriptor.digest(), store.blobs().size(descriptor.digest()));
    if (MediaType.isIndex(descriptor.mediaType())) {
      Index index = Json.read(store.blobs().readAll(descriptor.digest()), Index.class);
      for (Descriptor child : index.manifests()) {
        addBlobs(child, depth + 1);
      }
    } else if (MediaType.isManifest(descriptor.mediaType())) {
      Manifest manifest = store.manifest(descriptor.digest());
      blobs.put(manifest.config().digest(), store.blobs().size(manifest.config().digest()));
      for (Descriptor layer : manifest.layers()) {
        blobs.put(layer.digest(), store.blobs().size(layer.digest()));
      }
    }
  }

  /** {@code blobs/sha256/<hex>}: where a blob lives in an OCI layout. */
  static String blobPath(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }

  /** Every blob to write, in digest order, with its size in bytes. */
  SortedMap<Digest, Long> blobs() {
    return blobs;
  }

  /** The layout's {@code index.json} entries: one per name, one per unnamed image. */
  List<Descriptor> indexEntries() {
    return indexEntries;
  }

  byte[] indexJson() {
    return Json.bytes(Index.oci(indexEntries));
  }

  byte[] dockerManifestJson() {
    return Json.bytes(dockerManifest);
  }

  /** Docker's legacy {@code repositories} file; empty when no saved image has a tag and a layer. */
  SortedMap<String, SortedMap<String, String>> repositories() {
    return repositories;
  }

  byte[] repositoriesJson() {
    return Json.bytes(repositories);
  }
}
