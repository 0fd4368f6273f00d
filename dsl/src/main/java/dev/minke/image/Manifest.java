package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An image manifest: one config and the ordered layers. Reads OCI and Docker schema 2 manifests
 * alike; Minke writes OCI.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    int schemaVersion,
    String mediaType,
    String artifactType,
    Descriptor config,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    Descriptor subject,
    Map<String, String> annotations) {

  public Manifest {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException(
          "unsupported manifest schemaVersion " + schemaVersion + ": only schema 2 is supported");
    }
    if (config == null) {
      throw new IllegalArgumentException("manifest has no config descriptor");
    }
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations =
        annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /** An OCI manifest of the given config and layers. */
  public static Manifest oci(Descriptor config, List<Descriptor> layers) {
    return new Manifest(2, MediaType.OCI_MANIFEST, null, config, layers, null, null);
  }

  public Manifest withAnnotations(Map<String, String> newAnnotations) {
    return new Manifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, newAnnotations);
  }
}
