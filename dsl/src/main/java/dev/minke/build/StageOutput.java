package dev.minke.build;

import dev.minke.image.ApplyOptions;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.LayerApplier;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A stage that has been built, as the stages after it see it: its image so far (layers, config,
 * filesystem view), the cache key of its last step (where a stage based on it continues the key
 * chain), its step results, and, unpacked on first use, its files for {@code COPY --from}.
 */
final class StageOutput {
  private final String label;
  private final StageState state;
  private final Digest lastKey;
  private final List<StepResult> steps;
  private Path root;

  StageOutput(String label, StageState state, Digest lastKey, List<StepResult> steps) {
    this.label = label;
    this.state = state;
    this.lastKey = lastKey;
    this.steps = List.copyOf(steps);
  }

  String label() {
    return label;
  }

  StageState state() {
    return state;
  }

  Digest lastKey() {
    return lastKey;
  }

  List<StepResult> steps() {
    return steps;
  }

  /**
   * The stage's filesystem merged into one directory of the operation's scratch space: its layer
   * blobs applied in order by the hostile-input extractor, whiteouts deleting what is below.
   * Several stages may copy from this one at once, so the first one unpacks and the rest wait.
   */
  synchronized Path root(Store store, Operation operation) {
    if (root == null) {
      Path dir = operation.newScratchDirectory("from-");
      for (Descriptor layer : state.layers()) {
        try (InputStream in = store.blobs().open(layer.digest())) {
          LayerApplier.apply(in, dir, ApplyOptions.defaults());
          in.transferTo(java.io.OutputStream.nullOutputStream()); // Reading to the end verifies the digest.
        } catch (IOException e) {
          throw new StoreIOException("unpacking stage " + label + " (layer " + layer.digest().shortHex() + ") into",
              dir, e);
        }
      }
      try {
        root = dir.toRealPath();
      } catch (IOException e) {
        throw new StoreIOException("unpacking stage " + label + " into", dir, e);
      }
    }
    return root;
  }
}
