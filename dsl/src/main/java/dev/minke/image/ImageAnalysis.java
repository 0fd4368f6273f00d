package dev.minke.image;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole image analysed the way dive does: each layer's diff against the layers below it, the
 * image's efficiency, and its size.
 *
 * <p>{@code sizeBytes} is the sum of the layers' entry sizes (dive's {@code SizeBytes}), which
 * counts a path once per layer that writes it, unlike the size of the final filesystem.
 */
public record ImageAnalysis(
    List<LayerListing> layers, List<LayerDiff> layerDiffs, Efficiency efficiency, long sizeBytes) {

  public ImageAnalysis {
    layers = List.copyOf(layers);
    layerDiffs = List.copyOf(layerDiffs);
    if (layers.size() != layerDiffs.size()) {
      throw new IllegalArgumentException(
          layers.size() + " layers but " + layerDiffs.size() + " layer diffs");
    }
  }

  /** Analyses an image whose layers are given bottom first, in one pass over the layers. */
  public static ImageAnalysis of(List<LayerListing> layers) {
    List<LayerDiff> diffs = new ArrayList<>();
    EfficiencyCounter counter = new EfficiencyCounter();
    FileTree below = FileTree.empty();
    long sizeBytes = 0;
    for (LayerListing layer : layers) {
      diffs.add(LayerDiff.of(below, layer));
      counter.add(below, layer);
      below = below.stack(layer);
      sizeBytes += layer.sizeBytes();
    }
    return new ImageAnalysis(layers, diffs, counter.result(), sizeBytes);
  }

  /** The size of every layer but the first (the base), which dive calls the user size. */
  public long userSizeBytes() {
    return layers.isEmpty() ? 0 : sizeBytes - layers.get(0).sizeBytes();
  }

  /**
   * This analysis in the shape of {@code dive --json} output. {@code layerMetas} gives, for each
   * layer in order, the ids and command that a layer tar does not know.
   */
  public DiveExport toDiveExport(List<DiveExport.LayerMeta> layerMetas) {
    return DiveExport.of(this, layerMetas);
  }

  @Override
  public String toString() {
    return "ImageAnalysis[" + layers.size() + " layers, " + ByteSizes.human(sizeBytes) + ", "
        + efficiency + "]";
  }
}
