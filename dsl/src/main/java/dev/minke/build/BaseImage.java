package dev.minke.build;

import dev.minke.registry.Reference;

/** What a stage starts from: nothing, an image in the store, or another stage of the build. */
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

  /** Another stage of the same build ({@code FROM builder}): its filesystem, config and history. */
  record FromStage(StageRef stage) implements BaseImage {
    @Override
    public String toString() {
      return stage instanceof StageRef.Named named ? "stage " + named.name()
          : "stage " + (((StageRef.Value) stage).stage().name() == null ? "(unnamed)"
              : ((StageRef.Value) stage).stage().name());
    }
  }
}
