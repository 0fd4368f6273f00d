package dev.minke.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One image of a {@code docker save} archive's {@code manifest.json}: the config and layer files
 * by their path in the archive, and the familiar names to tag ({@code busybox:latest}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record DockerManifestItem(
    @JsonProperty("Config") String config,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("Layers") List<String> layers) {

  DockerManifestItem {
    repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }
}
