package dev.minke.build;

import java.util.List;
import java.util.function.UnaryOperator;

/** Copies files from the build context into the image: one layer. */
public record CopyStep(List<String> sources, String destination, CopyOptions options)
    implements Step {

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
    return new CopyStep(sources.stream().map(expander).toList(), expander.apply(destination), options);
  }

  @Override
  public String createdBy() {
    return "COPY " + options.flags() + String.join(" ", sources) + " " + destination;
  }
}
