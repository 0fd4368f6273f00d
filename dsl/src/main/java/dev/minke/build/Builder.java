package dev.minke.build;

import dev.minke.image.ContainerConfig;
import dev.minke.image.Descriptor;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.LayerBlob;
import dev.minke.image.Manifest;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one stage into an image in the store: config steps change the config, copy steps add
 * a deterministic layer each, and every step leaves a history entry.
 *
 * <p>The image is recorded in the store's index untagged, so garbage collection keeps it; a
 * failed build writes no manifest and no index entry (blobs it wrote are unreferenced and go at
 * the next {@code gc}).
 */
public final class Builder {
  private final Store store;

  public Builder(Store store) {
    this.store = store;
  }

  public BuildResult build(BaseImage base, List<Step> steps, BuildOptions options) {
    try (Operation operation = store.operation()) {
      StageState state = StageState.start(base, store);
      Map<String, String> args = new LinkedHashMap<>();
      boolean cmdSetInStage = false;
      String created = Instant.ofEpochSecond(options.sourceDateEpochSeconds()).toString();
      List<StepResult> results = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        long started = System.nanoTime();
        Step step = steps.get(i);
        Expander expander = new Expander(variables(state.config().config(), args), step.createdBy());
        Optional<Descriptor> layer = Optional.empty();
        String createdBy;
        if (step instanceof ConfigStep.Arg arg) {
          args.put(arg.name(), options.buildArgs().getOrDefault(arg.name(),
              arg.defaultValue() == null ? "" : expander.expand(arg.defaultValue())));
          createdBy = arg.createdBy();
        } else if (step instanceof ConfigStep configStep) {
          ConfigStep expanded = configStep.expand(expander::expand);
          ContainerConfig config = expanded.applyTo(state.config().config());
          if (expanded instanceof ConfigStep.Entrypoint && !cmdSetInStage) {
            config = config.withCmd(null); // Docker: a new ENTRYPOINT drops the base image's CMD.
          }
          cmdSetInStage |= expanded instanceof ConfigStep.Cmd;
          createdBy = expanded.createdBy();
          state.setConfig(state.config().withConfig(config).plusHistory(HistoryEntry.config(created, createdBy)));
        } else {
          CopyStep copy = ((CopyStep) step).expand(expander::expand);
          createdBy = copy.createdBy();
          LayerBlob blob = new CopyLayer(operation, state, options).write(copy);
          state.addLayer(blob, HistoryEntry.layer(created, createdBy));
          layer = Optional.of(blob.descriptor());
        }
        results.add(new StepResult(i, createdBy, layer, (System.nanoTime() - started) / 1_000_000));
      }
      return state.finish(operation, created, results);
    }
  }

  /** ENV values of the config and ARG values so far; ENV wins, as in Dockerfiles. */
  private static Map<String, String> variables(ContainerConfig config, Map<String, String> args) {
    Map<String, String> variables = new LinkedHashMap<>(args);
    for (String entry : config.env()) {
      int eq = entry.indexOf('=');
      variables.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return variables;
  }
}
