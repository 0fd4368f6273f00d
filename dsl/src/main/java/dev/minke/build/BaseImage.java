package dev.minke.build;

import dev.minke.registry.Reference;

/** What a stage starts from: nothing, or an image in the store. */
public sealed interface BaseImage {
  /** The empty image ({@code FROM scratch}). */
  record Scratch() implements BaseImage {
    @Override
    public String toString() {
      return "scratch";
    }
  }

  /** An image named by a reference ({@code FROM busybox}). */
  record Named(Reference reference) implements BaseImage {
    @Override
    public String toString() {
      return reference.familiar();
    }
  }
}
