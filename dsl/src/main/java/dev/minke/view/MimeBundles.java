package dev.minke.view;

import java.util.Optional;

/**
 * The rich views of Minke's values: {@code MimeBundles.of(value)} gives the bundle a notebook
 * shows for an image, a layer, a diff, a build, a container, a volume, a network or a stack, and
 * nothing for other objects (the front end then shows {@code toString()}).
 */
public final class MimeBundles {
  private MimeBundles() {}

  public static Optional<MimeBundle> of(Object value) {
    Optional<MimeBundle> runtime = RuntimeBundles.of(value);
    if (runtime.isPresent()) {
      return runtime;
    }
    return Optional.empty();
  }
}
