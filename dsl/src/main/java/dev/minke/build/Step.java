package dev.minke.build;

/**
 * One instruction of a stage, as immutable data. Filesystem steps make a layer; config steps
 * change only the image config and leave an {@code empty_layer} history entry.
 */
public sealed interface Step permits CopyStep, CopyTextStep, ConfigStep, RunStep {
  /** The Dockerfile-style text recorded in the image history, e.g. {@code COPY src/ /app/}. */
  String createdBy();
}
