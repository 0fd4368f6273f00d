package dev.minke.build;

import java.util.Locale;

/**
 * Another stage that a stage builds on ({@code FROM stage}) or copies from ({@code COPY
 * --from=stage}): a stage value, or a name resolved when the build is planned.
 */
public sealed interface StageRef {
  /** A stage given as a value: {@code from(builder)}, {@code copy(builder, "/out", "/")}. */
  record Value(BuildStage stage) implements StageRef {
    public Value {
      if (stage == null) {
        throw new IllegalArgumentException("a stage reference needs a stage");
      }
    }
  }

  /**
   * A stage named in the same build ({@code COPY --from=builder}), or its index ({@code
   * --from=0}). With {@code imageFallback}, a name that is no stage is an image, as Docker reads
   * {@code COPY --from=busybox}; without it, it is an error.
   */
  record Named(String name, boolean imageFallback) implements StageRef {
    public Named {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a stage name must not be empty");
      }
      name = name.toLowerCase(Locale.ROOT);
    }
  }
}
