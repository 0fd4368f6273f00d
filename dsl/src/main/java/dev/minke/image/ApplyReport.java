package dev.minke.image;

import java.util.List;

/**
 * What {@link LayerApplier} applied: entry counts by kind, bytes written, and the entries it
 * skipped without refusing the layer (each as {@code "name: why"}).
 */
public record ApplyReport(
    int files,
    int directories,
    int symlinks,
    int hardlinks,
    int specialFiles,
    int whiteouts,
    long totalBytes,
    List<String> skipped) {
  public ApplyReport {
    skipped = List.copyOf(skipped);
  }
}
