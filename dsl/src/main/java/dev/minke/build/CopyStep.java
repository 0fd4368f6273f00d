package dev.minke.build;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Copies files into the image, one layer: from the build context, or ({@code from}) out of
 * another stage's filesystem, as {@code COPY --from} does.
 */
public record CopyStep(List<String> sources, String destination, CopyOptions options, StageRef from)
    implements Step {

  /** A copy from the build context. */
  public CopyStep(List<String> sources, String destination, CopyOptions options) {
    this(sources, destination, options, null);
  }

  public CopyStep {
    if (sources == null || sources.isEmpty()) {
      throw new IllegalArgumentException(
          "copy needs at least one source and a destination, e.g. copy(\"src/\", \"/app/\")");
    }
    sources = List.copyOf(sources);
    for (String source : sources) {
      if (source.isBlank()) {
        throw new IllegalArgumentException("copy source must not be empty");
      }
    }
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException("copy destination must not be empty");
    }
    options = options == null ? CopyOptions.defaults() : options;
  }

  /** The step with Dockerfile variables in its sources and destination replaced. */
  public CopyStep expand(UnaryOperator<String> expander) {
    return new CopyStep(sources.stream().map(expander).toList(), expander.apply(destination), options, from);
  }

  /** The same copy, taking its sources from another stage. */
  public CopyStep withFrom(StageRef stage) {
    return new CopyStep(sources, destination, options, stage);
  }

  /**
   * As BuildKit records it: without {@code --from}, so the history does not depend on what the
   * other stage is called.
   */
  @Override
  public String createdBy() {
    return "COPY " + options.flags() + String.join(" ", sources) + " " + destination;
  }
}
