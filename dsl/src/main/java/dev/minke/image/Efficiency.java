package dev.minke.image;

import java.util.List;
import java.util.Locale;

/**
 * How much of an image's bytes are wasted by paths written, rewritten or deleted across layers,
 * computed as dive computes it ({@code dive/filetree/efficiency.go}, {@code
 * dive/image/analysis.go}).
 *
 * <p>Each path a layer touches is counted once per layer, with a size: a written entry counts
 * with its size; a whiteout counts with the whole size of the directory it removes, but with
 * <em>zero</em> when it removes a file (dive sizes only directory whiteouts). Per path the sizes
 * are summed ({@code cumulative}) and their minimum kept. Then:
 *
 * <ul>
 *   <li>{@code score} = Σ minimum / Σ cumulative over all paths, 1.0 when nothing was counted;
 *   <li>{@code inefficiencies} are the paths counted in two or more layers, by cumulative bytes
 *       (largest first), then path;
 *   <li>{@code wastedBytes} = Σ cumulative over the inefficiencies (dive's {@code WastedBytes}:
 *       the whole cumulative size, not cumulative minus minimum);
 *   <li>{@code userWastedPercent} = wastedBytes / the size of all layers but the first, as a
 *       fraction like dive's CI gate {@code highestUserWastedPercent: 0.20}; 0 when those layers
 *       are empty.
 * </ul>
 *
 * <p>Like dive, only leaves of each layer's own tree count: an entry that is the parent of another
 * entry or whiteout in the same layer is skipped, so re-emitted parent directories never look
 * inefficient, while an empty directory does count (with size 0). Opaque markers are not counted,
 * as dive drops them. What a whiteout removes is looked up in {@link FileTree}, which applies
 * opaque directories and file-over-directory replacement as overlayfs does; dive's own stacking
 * ignores both, so the two can differ only in layers that use them.
 */
public record Efficiency(
    double score, long wastedBytes, double userWastedPercent, List<Inefficiency> inefficiencies) {

  public Efficiency {
    inefficiencies = List.copyOf(inefficiencies);
  }

  /** The efficiency of an image whose layers are given bottom first. */
  public static Efficiency of(List<LayerListing> layers) {
    EfficiencyCounter counter = new EfficiencyCounter();
    FileTree below = FileTree.empty();
    for (LayerListing layer : layers) {
      counter.add(below, layer);
      below = below.stack(layer);
    }
    return counter.result();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Efficiency[%.2f%%, %s wasted, %d inefficient paths]",
        score * 100,
        ByteSizes.human(wastedBytes),
        inefficiencies.size());
  }
}
