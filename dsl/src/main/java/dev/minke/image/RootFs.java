package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** The config's {@code rootfs}: the diff IDs (digests of uncompressed layers), bottom first. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {

  public RootFs {
    type = type == null ? "layers" : type;
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
  }

  public static RootFs of(List<Digest> diffIds) {
    return new RootFs("layers", diffIds);
  }

  public RootFs plus(Digest diffId) {
    List<Digest> more = new ArrayList<>(diffIds);
    more.add(diffId);
    return new RootFs(type, more);
  }

  /**
   * The chain ID of each prefix of the layer stack: ChainID(L0) = DiffID(L0), ChainID(L0..n) =
   * sha256(ChainID(L0..n-1) + " " + DiffID(Ln)) (image-spec config.md).
   */
  public List<Digest> chainIds() {
    List<Digest> chain = new ArrayList<>();
    Digest previous = null;
    for (Digest diffId : diffIds) {
      previous = previous == null ? diffId : Digest.sha256(previous + " " + diffId);
      chain.add(previous);
    }
    return List.copyOf(chain);
  }
}
