package dev.minke.kernel;

import dev.minke.dsl.BuildDisplay;
import dev.minke.dsl.FrontEnd;

/** Builds in a notebook show as one live display that ends as the build report. */
final class NotebookFrontEnd implements FrontEnd {
  private final MinkeKernel kernel;

  NotebookFrontEnd(MinkeKernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public BuildDisplay startBuild() {
    return new LiveBuildDisplay(kernel);
  }
}
