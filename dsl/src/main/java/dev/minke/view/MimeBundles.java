package dev.minke.view;

import dev.minke.build.BuildResult;
import dev.minke.dsl.Image;
import dev.minke.dsl.Layer;
import dev.minke.image.LayerDiff;
import java.util.Optional;

/**
 * The rich views of Minke's values: {@code MimeBundles.of(value)} gives the bundle a notebook
 * shows for an image, a layer, a diff, a build, a container, a volume, a network or a stack, and
 * nothing for other objects (the front end then shows {@code toString()}).
 */
public final class MimeBundles {
  private MimeBundles() {}

  public static Optional<MimeBundle> of(Object value) {
    if (value instanceof Image image) {
      return Optional.of(ImageView.bundle(image));
    } else if (value instanceof Layer layer) {
      return Optional.of(LayerView.bundle(layer));
    } else if (value instanceof LayerDiff diff) {
      return Optional.of(DiffTreeView.bundle(diff));
    } else if (value instanceof BuildResult result) {
      return Optional.of(BuildReportView.bundle(result));
    } else if (value instanceof ImageComparison comparison) {
      return Optional.of(comparison.bundle());
    }
    return RuntimeBundles.of(value); // Containers, runs, volumes, networks, stacks.
  }
}
