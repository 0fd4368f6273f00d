package dev.minke.build;

import dev.minke.error.InterruptedOperationException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A build was interrupted (its thread's {@link Thread#interrupt()}). By the time this is thrown
 * every stage has stopped: a RUN step's container is killed and its partial layer discarded,
 * the steps that finished are in the build cache (so the next build continues from them), and
 * nothing else the build wrote is left in the store. The thread's interrupt status is set again.
 */
public final class BuildInterruptedException extends InterruptedOperationException {
  /**
   * Where one stage stopped: step {@code stepNumber} of {@code stepCount} ({@code step} is its
   * Dockerfile text), in stage {@code stage} ({@code ""} in a one-stage build). {@code running}
   * is false when the stage stopped between steps, before this one began.
   */
  public record Place(String stage, int stepNumber, int stepCount, String step, boolean running) {
    @Override
    public String toString() {
      return (running ? "at" : "before") + " step " + stepNumber + "/" + stepCount + " " + step
          + (stage.isEmpty() ? "" : " (stage " + stage + ")");
    }
  }

  static final String HINT = "nothing of the unfinished step was stored; steps before it are cached, "
      + "run the build again to continue";

  private final List<Place> places;

  /** Stopped at {@code places}, in the order the stages stopped. */
  public BuildInterruptedException(List<Place> places) {
    this(places, null);
  }

  /** As above, with the failure that showed the interrupt. */
  public BuildInterruptedException(List<Place> places, Throwable cause) {
    this("build interrupted " + places.stream().map(Place::toString).collect(Collectors.joining(", ")), places, cause);
  }

  /** Stopped outside any step: {@code when} says where ("before its first step"). */
  public BuildInterruptedException(String when, Throwable cause) {
    this("build interrupted " + when, List.of(), cause);
  }

  private BuildInterruptedException(String problem, List<Place> places, Throwable cause) {
    super(problem, HINT, cause);
    this.places = List.copyOf(places);
  }

  /** Where each stage that was building stopped, the stages whose step was running first; empty outside steps. */
  public List<Place> places() {
    return places;
  }
}
