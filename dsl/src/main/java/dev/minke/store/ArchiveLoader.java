package dev.minke.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;
import dev.minke.image.MediaType.Compression;
import dev.minke.registry.Reference;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads an image archive into the store in one pass: an OCI layout tar (Minke's and Docker
 * 25's save, skopeo's oci-archive) or a classic {@code docker save} tar.
 *
 * <p>The archive is hostile input. Only entries with the names an image archive uses are read;
 * nothing is ever written under an entry's name. Each blob is verified against its digest while
 * it streams into the store. Names are tagged only after everything the images need is stored
 * and checked; any failure before that rolls the operation back and tags nothing.
 */
final class ArchiveLoader {
  private static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
  private static final Pattern OCI_BLOB = Pattern.compile("blobs/sha256/([0-9a-f]{64})");
  private static final Pattern DOCKER_CONFIG = Pattern.compile("([0-9a-f]{64})\\.json");
  private static final Pattern DOCKER_LAYER = Pattern.compile("[0-9a-f]{64}(/layer\\.tar|\\.tar)");
  private static final Pattern BARE_TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final List<String> DOCUMENTS =
      List.of("index.json", "manifest.json", "oci-layout", "repositories");

  private final Store store;
  private final LoadOptions options;
  private final String source;
  private final Map<String, byte[]> documents = new HashMap<>();
  /** Blobs stored from the archive, by their (cleaned) entry name. */
  private final Map<String, BlobStore.Written> files = new HashMap<>();

  ArchiveLoader(Store store, LoadOptions options) {
    this.store = store;
    this.options = options;
    this.source = options.sourceName();
  }

  /** An image to record once everything is checked: its manifest and the names to tag. */
  private record Loaded(Descriptor manifest, List<Reference> names) {}

  List<StoredImage> load(InputStream in) {
    try (Operation operation = store.operation()) {
      readEntries(in, operation);
      List<Loaded> images;
      if (documents.containsKey("index.json")) {
        images = fromIndex();
      } else if (documents.containsKey("manifest.json")) {
        images = fromDockerManifest(operation);
      } else {
        throw new ArchiveFormatException(source, "has no index.json or manifest.json: not an image archive",
            "pass a tar written by `minke save`, `docker save` or `skopeo copy … oci-archive:`/`docker-archive:`");
      }
      List<StoredImage> result = tagAll(images);
      operation.commit();
      return result;
    } catch (IOException e) {
      throw new ArchiveFormatException(source, "could not be read: " + e.getMessage(),
          "check that the file is readable and complete", e);
    }
  }

  private void readEntries(InputStream in, Operation operation) throws IOException {
    ArchiveTarReader tar = new ArchiveTarReader(in, source);
    ArchiveTarReader.Entry entry;
    while ((entry = tar.next()) != null) {
      if (!entry.isRegularFile()) {
        continue; // Directories, links and devices carry nothing an image needs.
      }
      String name = clean(entry.name());
      if (DOCUMENTS.contains(name)) {
        if (documents.put(name, readDocument(name, entry, tar.content())) != null) {
          throw new ArchiveFormatException(source, "holds " + name + " twice", "it was not written by an image tool");
        }
        continue;
      }
      var blob = OCI_BLOB.matcher(name);
      var config = DOCKER_CONFIG.matcher(name);
      if (blob.matches()) {
        files.put(name, storeExpecting(operation, tar.content(), new Digest("sha256", blob.group(1)), name));
      } else if (config.matches()) {
        files.put(name, storeExpecting(operation, tar.content(), new Digest("sha256", config.group(1)), name));
      } else if (DOCKER_LAYER.matcher(name).matches()) {
        try (BlobWriter writer = operation.newWriter()) {
          tar.content().transferTo(writer);
          files.put(name, writer.commit());
        }
      }
      // Any other name is not part of an image archive, or is legacy metadata (<id>/json,
      // <id>/VERSION) whose facts the config already holds: skipped unread.
    }
  }

  /** Strips the "./" prefix that `tar -C dir .` adds; anything else must match exactly. */
  private static String clean(String name) {
    String cleaned = name;
    while (cleaned.startsWith("./")) {
      cleaned = cleaned.substring(2);
    }
    return cleaned;
  }

  private byte[] readDocument(String name, ArchiveTarReader.Entry entry, InputStream content) throws IOException {
    if (entry.sizeBytes() > MAX_DOCUMENT_BYTES) {
      throw new ArchiveFormatException(source, "has a " + name + " of " + entry.sizeBytes()
          + " bytes, more than the " + MAX_DOCUMENT_BYTES + " Minke reads", "it was not written by an image tool");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    content.transferTo(bytes);
    return bytes.toByteArray();
  }

  private BlobStore.Written storeExpecting(Operation operation, InputStream content, Digest digest, String name) {
    try {
      return operation.writeExpecting(content, digest, "archive " + source);
    } catch (CorruptBlobException e) {
      throw new ArchiveFormatException(source, "holds a corrupt blob: " + name + " hashes to " + e.actual()
          + ", not " + e.expected(), ArchiveFormatException.RESAVE_HINT, e);
    }
  }

  // --- OCI layout: index.json names manifests (or nested indexes) that the archive holds.

  private List<Loaded> fromIndex() {
    Index index = parse("index.json", Index.class);
    List<Loaded> images = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      requireTree(entry, 0);
      Descriptor plain = entry.withAnnotations(Map.of());
      images.add(new Loaded(plain, nameOf(entry).map(List::of).orElse(List.of())));
    }
    return images;
  }

  /** Checks that a manifest or index and everything below it is stored, with the sizes named. */
  private void requireTree(Descriptor descriptor, int depth) {
    if (depth > 8) {
      throw new ArchiveFormatException(source, "nests image indexes deeper than 8 levels", "it was not written by an image tool");
    }
    requireBlob(descriptor, "index.json");
    if (MediaType.isIndex(descriptor.mediaType())) {
      Index nested = Json.read(store.blobs().readAll(descriptor.digest()), Index.class);
      nested.manifests().forEach(child -> requireTree(child, depth + 1));
    } else if (MediaType.isManifest(descriptor.mediaType())) {
      Manifest manifest = store.manifest(descriptor.digest());
      requireBlob(manifest.config(), "manifest " + descriptor.digest());
      manifest.layers().forEach(layer -> requireBlob(layer, "manifest " + descriptor.digest()));
      if (MediaType.isConfig(manifest.config().mediaType())) {
        ImageConfig config = store.config(manifest);
        if (config.rootfs().diffIds().size() != manifest.layers().size()) {
          throw new ArchiveFormatException(source, "holds manifest " + descriptor.digest() + " with "
              + manifest.layers().size() + " layers whose config lists " + config.rootfs().diffIds().size()
              + " diff_ids", "the image is malformed; save it again from a good copy");
        }
      }
    } else {
      throw new ArchiveFormatException(source, "names " + descriptor.digest() + " of media type "
          + descriptor.mediaType() + ", which is not an image", "Minke loads images and image indexes only");
    }
  }

  private void requireBlob(Descriptor descriptor, String namedBy) {
    Digest digest = descriptor.digest();
    if (!store.blobs().has(digest)) {
      throw new ArchiveFormatException(source, "lacks blob " + digest + " that " + namedBy + " names",
          ArchiveFormatException.RESAVE_HINT);
    }
    long actual = store.blobs().size(digest);
    if (actual != descriptor.size()) {
      throw new ArchiveFormatException(source, "holds blob " + digest + " of " + actual + " bytes, but "
          + namedBy + " says " + descriptor.size(), "the archive's index or manifest is wrong; save it again");
    }
  }

  /** The full name from containerd's annotation, else from ref.name (a bare tag needs a repository). */
  private Optional<Reference> nameOf(Descriptor entry) {
    String fullName = entry.annotations().get(SavePlan.IMAGE_NAME);
    String refName = entry.annotations().get(ImageIndex.REF_NAME);
    if (fullName != null) {
      return Optional.of(parseName(fullName));
    }
    if (refName == null) {
      return Optional.empty();
    }
    if (BARE_TAG.matcher(refName).matches()) {
      Reference repository = options.repository();
      return repository == null
          ? Optional.empty()
          : Optional.of(new Reference(repository.registry(), repository.repository(), refName, null));
    }
    return Optional.of(parseName(refName));
  }

  private Reference parseName(String name) {
    try {
      Reference parsed = Reference.parse(name);
      if (parsed.tag() == null) {
        throw new ArchiveFormatException(source, "names an image \"" + name + "\" by digest only",
            "tag it after loading with `minke tag`");
      }
      return new Reference(parsed.registry(), parsed.repository(), parsed.tag(), null);
    } catch (dev.minke.registry.InvalidReferenceException e) {
      throw new ArchiveFormatException(source, "names an image \"" + name + "\": " + e.getMessage(),
          "fix the name in the archive's index.json or manifest.json", e);
    }
  }

  // --- Classic docker save: manifest.json lists config and layer files; write an OCI manifest.

  private List<Loaded> fromDockerManifest(Operation operation) {
    List<DockerManifestItem> items = parseDockerManifest();
    List<Loaded> images = new ArrayList<>();
    for (DockerManifestItem item : items) {
      BlobStore.Written configBlob = file(item.config(), "Config");
      ImageConfig config = Json.read(store.blobs().readAll(configBlob.digest()), ImageConfig.class);
      List<Digest> expectedDiffIds = config.rootfs().diffIds();
      if (expectedDiffIds.size() != item.layers().size()) {
        throw new ArchiveFormatException(source, "lists " + item.layers().size() + " layers for config "
            + item.config() + ", whose rootfs.diff_ids has " + expectedDiffIds.size(),
            "the image is malformed; save it again from a good copy");
      }
      List<Descriptor> layers = new ArrayList<>();
      for (int i = 0; i < item.layers().size(); i++) {
        String path = item.layers().get(i);
        BlobStore.Written layer = file(path, "Layers");
        LayerFacts facts = layerFacts(layer.digest());
        if (!facts.diffId().equals(expectedDiffIds.get(i))) {
          throw new ArchiveFormatException(source, "holds layer " + path + " whose content hashes to diffId "
              + facts.diffId() + ", but the config's rootfs.diff_ids[" + i + "] is " + expectedDiffIds.get(i),
              ArchiveFormatException.RESAVE_HINT);
        }
        layers.add(Descriptor.of(MediaType.ociLayer(facts.compression()), layer.digest(), layer.sizeBytes()));
      }
      Descriptor configDescriptor = Descriptor.of(MediaType.OCI_CONFIG, configBlob.digest(), configBlob.sizeBytes());
      Descriptor manifest = operation.putManifest(Manifest.oci(configDescriptor, layers))
          .withPlatform(config.platform());
      images.add(new Loaded(manifest, item.repoTags().stream().map(this::parseName).toList()));
    }
    return images;
  }

  private List<DockerManifestItem> parseDockerManifest() {
    try {
      List<DockerManifestItem> items = Json.mapper().readValue(documents.get("manifest.json"),
          new TypeReference<List<DockerManifestItem>>() {});
      if (items == null || items.isEmpty()) {
        throw new ArchiveFormatException(source, "has a manifest.json that lists no image",
            "it holds nothing to load");
      }
      return items;
    } catch (IOException e) {
      throw new ArchiveFormatException(source, "has a malformed manifest.json: " + e.getMessage().lines().findFirst().orElse(""),
          "it was not written by an image tool, or was damaged; " + ArchiveFormatException.RESAVE_HINT, e);
    }
  }

  private BlobStore.Written file(String path, String field) {
    BlobStore.Written written = path == null ? null : files.get(clean(path));
    if (written == null) {
      throw new ArchiveFormatException(source, "has a manifest.json whose " + field + " names \"" + path
          + "\", which the archive does not hold as a file Minke reads",
          "Minke reads blobs/sha256/<hex>, <hex>.json, <hex>.tar and <id>/layer.tar; " + ArchiveFormatException.RESAVE_HINT);
    }
    return written;
  }

  private record LayerFacts(Compression compression, Digest diffId) {}

  /** A stored layer's compression and diffId (the digest of its uncompressed tar). */
  private LayerFacts layerFacts(Digest digest) {
    try (InputStream raw = new BufferedInputStream(store.blobs().open(digest), 64 * 1024)) {
      Compression compression = Compressions.detect(raw);
      if (compression == Compression.NONE) {
        return new LayerFacts(compression, digest);
      }
      MessageDigest hasher = Digest.newSha256();
      try (InputStream plain = Compressions.decompress(raw, compression);
          OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), hasher)) {
        plain.transferTo(sink);
      }
      return new LayerFacts(compression, Digest.ofSha256(hasher.digest()));
    } catch (IOException e) {
      throw new ArchiveFormatException(source, "holds layer " + digest + " that cannot be decompressed: "
          + e.getMessage(), ArchiveFormatException.RESAVE_HINT, e);
    }
  }

  private <T> T parse(String name, Class<T> type) {
    try {
      return Json.read(documents.get(name), type);
    } catch (dev.minke.image.MalformedDocumentException e) {
      throw new ArchiveFormatException(source, "has a malformed " + name + ": " + e.getMessage(),
          "it was not written by an image tool, or was damaged; " + ArchiveFormatException.RESAVE_HINT, e);
    }
  }

  // --- Only now, with every blob stored and checked, do names change.

  private List<StoredImage> tagAll(List<Loaded> images) {
    List<StoredImage> result = new ArrayList<>();
    for (Loaded image : images) {
      if (image.names().isEmpty()) {
        store.images().addUntagged(image.manifest());
        result.add(new StoredImage(Optional.empty(), image.manifest()));
      }
      for (Reference name : image.names()) {
        store.images().tag(name, image.manifest());
        result.add(new StoredImage(Optional.of(name), image.manifest()));
      }
    }
    return result;
  }
}
