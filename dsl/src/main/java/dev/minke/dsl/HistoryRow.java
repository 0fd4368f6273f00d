package dev.minke.dsl;

import dev.minke.image.Digest;
import java.util.Optional;

/**
 * One line of {@code docker image history}: the step that made it, when, and the layer it added
 * (none for a config-only step).
 */
public record HistoryRow(String createdBy, String created, Optional<Digest> layerDigest, long layerSizeBytes, String comment) {
  public HistoryRow {
    layerDigest = layerDigest == null ? Optional.empty() : layerDigest;
    comment = comment == null ? "" : comment;
  }

  /** Whether the step changed only the config. */
  public boolean emptyLayer() {
    return layerDigest.isEmpty();
  }

  @Override
  public String toString() {
    return (emptyLayer() ? "0 B" : Texts.bytes(layerSizeBytes)) + "  " + createdBy;
  }
}
