package dev.minke.build;

import dev.minke.image.ContainerConfig;
import dev.minke.image.Descriptor;
import dev.minke.image.HistoryEntry;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Builds one stage into an image in the store. Each step gets a cache key (its parent's key plus
 * its inputs, {@link StepInputs}); a key the cache has is reused without running anything, any
 * other step runs: config steps change the config, COPY and RUN add a deterministic layer each,
 * and every step leaves a history entry and a {@link StepResult} with its verdict and reason.
 *
 * <p>The image is recorded in the store's index untagged, so garbage collection keeps it. A
 * failed build writes no manifest, no index entry and no cache entry, and the blobs and
 * snapshots it made are removed: the store is as it was.
 */
public final class Builder {
  private final Store store;

  public Builder(Store store) {
    this.store = store;
  }

  /** What executing one step produced. */
  private record Outcome(String createdBy, Optional<Descriptor> layer, Verdict verdict, String reason) {}

  public BuildResult build(BaseImage base, List<Step> steps, BuildOptions options) {
    BuildListener listener = options.listener();
    List<StepResult> results = new ArrayList<>();
    try (Operation operation = store.operation()) {
      StageState state = StageState.start(base, store);
      Run run = new Run(operation, state, options,
          new StepCache(store, base, state.baseManifestDigest(), options));
      for (int i = 0; i < steps.size(); i++) {
        long started = System.nanoTime();
        Step step = steps.get(i);
        listener.on(new BuildEvent.StepStarted(i, steps.size(), step.createdBy()));
        Outcome outcome;
        try {
          outcome = run.execute(i, step);
        } catch (RunLayer.Failed failed) {
          fail(results, steps, i, millisSince(started), "exit code " + failed.exitCode, listener);
          throw new RunStepFailedException(i + 1, step.createdBy(), failed.exitCode, failed.lastLines, results);
        } catch (RuntimeException e) {
          fail(results, steps, i, millisSince(started), e.getMessage(), listener);
          throw e;
        }
        long millis = millisSince(started);
        results.add(new StepResult(i, outcome.createdBy(), outcome.layer(), millis, outcome.verdict(),
            outcome.reason()));
        listener.on(new BuildEvent.StepFinished(i, steps.size(), outcome.createdBy(), outcome.verdict(),
            outcome.reason(), millis));
      }
      BuildResult result = state.finish(operation, run.created, results);
      run.cache.flush();
      return result;
    }
  }

  /** Reports step {@code failed} FAILED and every later one SKIPPED. */
  private static void fail(List<StepResult> results, List<Step> steps, int failed, long millis, String why,
      BuildListener listener) {
    results.add(new StepResult(failed, steps.get(failed).createdBy(), Optional.empty(), millis, Verdict.FAILED, why));
    listener.on(new BuildEvent.StepFinished(failed, steps.size(), steps.get(failed).createdBy(), Verdict.FAILED,
        why, millis));
    for (int i = failed + 1; i < steps.size(); i++) {
      String reason = "not run: step " + (failed + 1) + " failed";
      results.add(new StepResult(i, steps.get(i).createdBy(), Optional.empty(), 0, Verdict.SKIPPED, reason));
      listener.on(new BuildEvent.StepFinished(i, steps.size(), steps.get(i).createdBy(), Verdict.SKIPPED, reason, 0));
    }
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** One build's moving parts: the stage so far, the build args declared so far, the cache walk. */
  private final class Run {
    final Operation operation;
    final StageState state;
    final BuildOptions options;
    final StepCache cache;
    final String created;
    final Map<String, String> args = new LinkedHashMap<>();
    boolean cmdSetInStage;

    Run(Operation operation, StageState state, BuildOptions options, StepCache cache) {
      this.operation = operation;
      this.state = state;
      this.options = options;
      this.cache = cache;
      this.created = Instant.ofEpochSecond(options.sourceDateEpochSeconds()).toString();
    }

    Outcome execute(int index, Step step) {
      ContainerConfig config = state.config().config();
      Expander expander = new Expander(variables(config, args), step.createdBy());
      if (step instanceof RunStep runStep) {
        return run(index, runStep, RunInput.of(runStep, config, args));
      }
      if (step instanceof CopyStep copyStep) {
        return copy(index, copyStep, copyStep.expand(expander::expand));
      }
      ConfigStep raw = (ConfigStep) step;
      ConfigStep expanded = raw instanceof ConfigStep.Arg ? raw : raw.expand(expander::expand);
      String kind = raw.createdBy().split(" ", 2)[0];
      SortedMap<String, String> inputs = StepInputs.config(raw.createdBy(), expanded.createdBy(), args, config);
      StepCache.Decision decision = cache.decide(kind, kind, inputs, false);
      apply(expanded, expander);
      HistoryEntry history = HistoryEntry.config(created, expanded.createdBy());
      if (decision.hit().isPresent()) {
        cache.cached(decision);
        return new Outcome(expanded.createdBy(), Optional.empty(), Verdict.CACHED, decision.reason());
      }
      cache.built(index, decision, kind, raw.createdBy(), inputs, null, null, history);
      return new Outcome(expanded.createdBy(), Optional.empty(), Verdict.BUILT, decision.reason());
    }

    private void apply(ConfigStep step, Expander expander) {
      if (step instanceof ConfigStep.Arg arg) {
        args.put(arg.name(), options.buildArgs().getOrDefault(arg.name(),
            arg.defaultValue() == null ? "" : expander.expand(arg.defaultValue())));
        return;
      }
      ContainerConfig config = step.applyTo(state.config().config());
      if (step instanceof ConfigStep.Entrypoint && !cmdSetInStage) {
        config = config.withCmd(null); // Docker: a new ENTRYPOINT drops the base image's CMD.
      }
      cmdSetInStage |= step instanceof ConfigStep.Cmd;
      state.setConfig(state.config().withConfig(config)
          .plusHistory(HistoryEntry.config(created, step.createdBy())));
    }

    private Outcome copy(int index, CopyStep raw, CopyStep copy) {
      CopyLayer layer = new CopyLayer(operation, state, options);
      List<LayerEntry> entries = layer.entries(copy);
      SortedMap<String, String> inputs;
      try {
        inputs = StepInputs.copy(raw.createdBy(), copy.createdBy(), args, state.config().config(), entries,
            options.contextDir());
      } catch (IOException e) {
        throw new BuildInputException(copy.createdBy(), "cannot read the sources: " + e.getMessage(),
            "check that the files exist and are readable", e);
      }
      StepCache.Decision decision = cache.decide(copy.createdBy(), "COPY", inputs, true);
      HistoryEntry history = HistoryEntry.layer(created, copy.createdBy());
      if (decision.hit().isPresent()) {
        var hit = decision.hit().get();
        state.filesystem().applyEntries(entries);
        state.addLayerKeepingFilesystem(hit.layer(), hit.diffId(), history);
        cache.cached(decision);
        return new Outcome(copy.createdBy(), Optional.of(hit.layer()), Verdict.CACHED, decision.reason());
      }
      LayerBlob blob = layer.write(copy, entries);
      state.addLayer(blob, history);
      cache.built(index, decision, "COPY", raw.createdBy(), inputs, blob.descriptor(), blob.diffId(), history);
      return new Outcome(copy.createdBy(), Optional.of(blob.descriptor()), Verdict.BUILT, decision.reason());
    }

    private Outcome run(int index, RunStep step, RunInput input) {
      SortedMap<String, String> inputs = StepInputs.run(input);
      StepCache.Decision decision = cache.decide("RUN", "RUN", inputs, true);
      HistoryEntry history = HistoryEntry.layer(created, step.createdBy());
      if (decision.hit().isPresent()) {
        var hit = decision.hit().get();
        state.addOpaqueLayer(hit.layer(), hit.diffId(), history);
        cache.cached(decision);
        return new Outcome(step.createdBy(), Optional.of(hit.layer()), Verdict.CACHED, decision.reason());
      }
      LayerBlob blob = new RunLayer(store, operation, state, options)
          .write(input, new OutputLines(index, options.listener()));
      state.addOpaqueLayer(blob.descriptor(), blob.diffId(), history);
      cache.built(index, decision, "RUN", step.createdBy(), inputs, blob.descriptor(), blob.diffId(), history);
      return new Outcome(step.createdBy(), Optional.of(blob.descriptor()), Verdict.BUILT, decision.reason());
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
