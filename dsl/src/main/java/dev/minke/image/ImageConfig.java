package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * An image configuration (config.md): platform, execution defaults, the layer stack as diff IDs
 * and the history of the steps that made it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(
    String created,
    String author,
    String architecture,
    String os,
    String variant,
    @JsonInclude(JsonInclude.Include.NON_NULL) ContainerConfig config,
    @JsonInclude(JsonInclude.Include.ALWAYS) RootFs rootfs,
    List<HistoryEntry> history) {

  public ImageConfig {
    if (architecture == null || os == null) {
      throw new IllegalArgumentException("image config must name its os and architecture");
    }
    config = config == null ? ContainerConfig.empty() : config;
    rootfs = rootfs == null ? RootFs.of(List.of()) : rootfs;
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** An empty image for the host platform: no layers, no history. */
  public static ImageConfig scratch(String created) {
    Platform host = Platform.host();
    return new ImageConfig(created, null, host.architecture(), host.os(), null, null, null, null);
  }

  public ImageConfig withCreated(String newCreated) {
    return new ImageConfig(newCreated, author, architecture, os, variant, config, rootfs, history);
  }

  public ImageConfig withConfig(ContainerConfig newConfig) {
    return new ImageConfig(created, author, architecture, os, variant, newConfig, rootfs, history);
  }

  /** Appends a layer and the history entry of the step that made it. */
  public ImageConfig plusLayer(Digest diffId, HistoryEntry step) {
    return new ImageConfig(
        created, author, architecture, os, variant, config, rootfs.plus(diffId), plus(step));
  }

  /** Appends the history entry of a step that changed only the config. */
  public ImageConfig plusHistory(HistoryEntry step) {
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, plus(step));
  }

  private List<HistoryEntry> plus(HistoryEntry step) {
    List<HistoryEntry> more = new ArrayList<>(history);
    more.add(step);
    return more;
  }

  public Platform platform() {
    return new Platform(architecture, os, null, null, variant);
  }
}
