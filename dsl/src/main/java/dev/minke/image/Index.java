package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An image index (or Docker manifest list): descriptors of manifests, often one per platform. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Index(
    int schemaVersion,
    String mediaType,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    Map<String, String> annotations) {

  public Index {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException(
          "unsupported index schemaVersion " + schemaVersion + ": only schema 2 is supported");
    }
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    annotations =
        annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /** An OCI index of the given manifests. */
  public static Index oci(List<Descriptor> manifests) {
    return new Index(2, MediaType.OCI_INDEX, manifests, null);
  }

  public Index withManifests(List<Descriptor> newManifests) {
    return new Index(schemaVersion, mediaType, newManifests, annotations);
  }
}
