package dev.minke.build;

import java.util.List;
import java.util.Optional;

/**
 * One {@code FROM} of a Dockerfile and the instructions after it.
 *
 * @param index the stage's position, from 0 (usable as {@code COPY --from=0})
 * @param name the {@code AS name}, lower case, if any
 * @param from the base as written: an image reference, an earlier stage's name, or text with
 *     {@code $VARIABLES} still to expand
 * @param base the base image, when {@code from} names an image without variables; empty when it
 *     is an earlier stage or needs expansion first
 * @param platform the {@code --platform} flag, if any
 * @param steps the instructions of the stage, in order
 * @param line the line of the {@code FROM}, from 1
 */
public record DockerfileStage(int index, Optional<String> name, String from,
    Optional<BaseImage> base, Optional<String> platform, List<DockerfileStep> steps, int line) {
  public DockerfileStage {
    steps = List.copyOf(steps);
  }

  /** The steps the engine can run today, in order ({@link DockerfileStep.Supported}). */
  public List<Step> supportedSteps() {
    return steps.stream()
        .filter(s -> s instanceof DockerfileStep.Supported)
        .map(s -> ((DockerfileStep.Supported) s).step())
        .toList();
  }

  /** Whether every instruction of the stage is one the engine runs today. */
  public boolean fullySupported() {
    return base.isPresent() && steps.stream().allMatch(s -> s instanceof DockerfileStep.Supported);
  }
}
