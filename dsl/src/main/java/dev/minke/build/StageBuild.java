package dev.minke.build;

import dev.minke.image.ContainerConfig;
import dev.minke.image.Descriptor;
import dev.minke.image.HistoryEntry;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.os.Interrupts;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Runs the steps of one stage on top of its start ({@link StageState}). Each step gets a cache key
 * (its parent's key plus its inputs, {@link StepInputs}); a key the cache has is reused without
 * running anything, any other step runs: config steps change the config, COPY and RUN add a
 * deterministic layer each, and every step leaves a history entry and a {@link StepResult} with
 * its verdict and reason. Nothing is committed here: {@link Executor} commits once the whole
 * build has succeeded.
 */
final class StageBuild {
  /** What executing one step produced. */
  private record Outcome(String createdBy, Optional<Descriptor> layer, Verdict verdict, String reason) {}

  private final Store store;
  private final Operation operation;
  private final String label;
  private final StageState state;
  private final BuildOptions options;
  private final StepCache cache;
  private final Function<StageRef, StageOutput> stages;
  private final String created;
  private final Map<String, String> args = new LinkedHashMap<>();
  private boolean cmdSetInStage;

  /**
   * @param label the stage's label in events and errors ({@code ""} in a one-stage build)
   * @param stages the built stages this one copies from, by reference
   */
  StageBuild(Store store, Operation operation, String label, StageState state, StepCache cache, BuildOptions options,
      Function<StageRef, StageOutput> stages) {
    this.store = store;
    this.operation = operation;
    this.label = label;
    this.state = state;
    this.cache = cache;
    this.options = options;
    this.stages = stages;
    this.created = Instant.ofEpochSecond(options.sourceDateEpochSeconds()).toString();
  }

  String created() {
    return created;
  }

  StageState state() {
    return state;
  }

  StepCache cache() {
    return cache;
  }

  /**
   * Runs every step; on a failure reports the step FAILED and the later ones SKIPPED, then
   * throws. {@code stop} is asked before each step: another stage has failed, skip the rest.
   *
   * <p>An interrupt of this thread, seen before a step or as the reason a step failed (a RUN
   * step's container stops at once, see {@link dev.minke.runtime.BuildContainer}), ends the
   * stage with a {@link BuildInterruptedException} naming the step, the interrupt status set.
   * The steps that finished have their cache records pending in {@link #cache()}.
   */
  List<StepResult> run(List<Step> steps, java.util.function.BooleanSupplier stop) {
    BuildListener listener = options.listener();
    List<StepResult> results = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (Thread.currentThread().isInterrupted()) {
        skipFrom(results, steps, i, "not run: the build was interrupted", listener);
        throw new BuildInterruptedException(List.of(place(i, steps, false)));
      }
      if (stop.getAsBoolean()) {
        skipFrom(results, steps, i, "not run: another stage failed", listener);
        throw new StageCancelledException();
      }
      long started = System.nanoTime();
      Step step = steps.get(i);
      listener.on(new BuildEvent.StepStarted(i, steps.size(), step.createdBy(), label));
      Outcome outcome;
      try {
        outcome = execute(i, step);
      } catch (RunLayer.Failed failed) {
        fail(results, steps, i, millisSince(started), "exit code " + failed.exitCode, listener);
        throw new RunStepFailedException(label, i + 1, step.createdBy(), failed.exitCode, failed.lastLines, results);
      } catch (RuntimeException e) {
        if (Interrupts.interruptedBy(e)) {
          Thread.currentThread().interrupt(); // an interrupted channel or stream may have cleared it
          fail(results, steps, i, millisSince(started), "interrupted", listener);
          throw new BuildInterruptedException(List.of(place(i, steps, true)), e);
        }
        fail(results, steps, i, millisSince(started), e.getMessage(), listener);
        throw e;
      }
      long millis = millisSince(started);
      results.add(new StepResult(i, outcome.createdBy(), outcome.layer(), millis, outcome.verdict(), outcome.reason()));
      listener.on(new BuildEvent.StepFinished(i, steps.size(), outcome.createdBy(), outcome.verdict(),
          outcome.reason(), millis, label));
    }
    return results;
  }

  private BuildInterruptedException.Place place(int index, List<Step> steps, boolean running) {
    return new BuildInterruptedException.Place(label, index + 1, steps.size(), steps.get(index).createdBy(), running);
  }

  /** Thrown when a stage stops because another stage failed; that failure is the build's error. */
  static final class StageCancelledException extends RuntimeException {
    StageCancelledException() {
      super("cancelled: another stage failed", null, false, false);
    }
  }

  /** Reports step {@code failed} FAILED and every later one SKIPPED. */
  private void fail(List<StepResult> results, List<Step> steps, int failed, long millis, String why,
      BuildListener listener) {
    results.add(new StepResult(failed, steps.get(failed).createdBy(), Optional.empty(), millis, Verdict.FAILED, why));
    listener.on(new BuildEvent.StepFinished(failed, steps.size(), steps.get(failed).createdBy(), Verdict.FAILED,
        why, millis, label));
    skipFrom(results, steps, failed + 1, "not run: step " + (failed + 1) + " failed", listener);
  }

  private void skipFrom(List<StepResult> results, List<Step> steps, int first, String reason,
      BuildListener listener) {
    for (int i = first; i < steps.size(); i++) {
      results.add(new StepResult(i, steps.get(i).createdBy(), Optional.empty(), 0, Verdict.SKIPPED, reason));
      listener.on(new BuildEvent.StepFinished(i, steps.size(), steps.get(i).createdBy(), Verdict.SKIPPED, reason, 0,
          label));
    }
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private Outcome execute(int index, Step step) {
    ContainerConfig config = state.config().config();
    Expander expander = new Expander(variables(config, args), step.createdBy());
    if (step instanceof RunStep runStep) {
      return run(index, runStep, RunInput.of(runStep, config, args));
    }
    if (step instanceof CopyStep copyStep) {
      CopyStep copy = copyStep.expand(expander::expand);
      return copy(index, copyStep.createdBy(), copy, sources(copy));
    }
    if (step instanceof CopyTextStep text) {
      return copyText(index, text, text.expand(expander::expand));
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
    state.setConfig(state.config().withConfig(config).plusHistory(HistoryEntry.config(created, step.createdBy())));
  }

  private SourceTree sources(CopyStep copy) {
    if (copy.from() == null) {
      return new CopySources(options.contextDir(), DockerIgnore.load(options.contextDir()), copy.createdBy());
    }
    StageOutput from = stages.apply(copy.from());
    return new StageFiles(from, from.root(store, operation), copy.createdBy());
  }

  /** The text is written to a scratch file named as the here-document, then copied like a context file. */
  private Outcome copyText(int index, CopyTextStep raw, CopyTextStep text) {
    Path dir = operation.newScratchDirectory("copy-text-");
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(text.name());
      Files.writeString(file, text.content(), java.nio.charset.StandardCharsets.UTF_8);
      Files.setAttribute(file, "unix:mode", 0644);
    } catch (IOException e) {
      throw new dev.minke.store.StoreIOException("writing the text of " + text.createdBy() + " into", dir, e);
    }
    CopyStep copy = new CopyStep(List.of(text.name()), text.destination(), text.options());
    Outcome outcome = copy(index, raw.createdBy(), copy, new CopySources(dir, DockerIgnore.empty(), text.createdBy()),
        text.createdBy());
    return outcome;
  }

  private Outcome copy(int index, String rawText, CopyStep copy, SourceTree sources) {
    return copy(index, rawText, copy, sources, copy.createdBy());
  }

  private Outcome copy(int index, String rawText, CopyStep copy, SourceTree sources, String createdBy) {
    CopyLayer layer = new CopyLayer(operation, state, options);
    List<LayerEntry> entries = layer.entries(copy, sources);
    SortedMap<String, String> inputs;
    try {
      inputs = StepInputs.copy(rawText, createdBy, args, state.config().config(), entries,
          options.contextDir());
    } catch (IOException e) {
      throw new BuildInputException(createdBy, "cannot read the sources: " + e.getMessage(),
          "check that the files exist and are readable", e);
    }
    StepCache.Decision decision = cache.decide(createdBy, "COPY", inputs, true);
    HistoryEntry history = HistoryEntry.layer(created, createdBy);
    if (decision.hit().isPresent()) {
      var hit = decision.hit().get();
      state.filesystem().applyEntries(entries);
      state.addLayerKeepingFilesystem(hit.layer(), hit.diffId(), history);
      cache.cached(decision);
      return new Outcome(createdBy, Optional.of(hit.layer()), Verdict.CACHED, decision.reason());
    }
    LayerBlob blob = layer.write(copy, entries);
    state.addLayer(blob, history);
    cache.built(index, decision, "COPY", rawText, inputs, blob.descriptor(), blob.diffId(), history);
    return new Outcome(createdBy, Optional.of(blob.descriptor()), Verdict.BUILT, decision.reason());
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
        .write(input, new OutputLines(index, label, options.listener()));
    state.addOpaqueLayer(blob.descriptor(), blob.diffId(), history);
    cache.built(index, decision, "RUN", step.createdBy(), inputs, blob.descriptor(), blob.diffId(), history);
    return new Outcome(step.createdBy(), Optional.of(blob.descriptor()), Verdict.BUILT, decision.reason());
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
