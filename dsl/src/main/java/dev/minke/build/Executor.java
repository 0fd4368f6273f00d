package dev.minke.build;

import dev.minke.os.Interrupts;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds a {@link Plan}: one {@code CompletableFuture<StageOutput>} per stage, started when the
 * futures of the stages it reads have completed, so independent stages run in parallel, each on
 * its own thread. All stages share one store {@link Operation}: the first failure stops the
 * stages that have not started yet (SKIPPED), the running ones stop after their current step,
 * and closing the uncommitted operation removes everything the build wrote. Only when every
 * stage has succeeded is the target's image written, the cache recorded and the operation
 * committed.
 */
final class Executor {
  private final Store store;

  Executor(Store store) {
    this.store = store;
  }

  /** One build's moving parts: the failure that stops it, and each stage's run. */
  private static final class Shared {
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final AtomicReference<String> failedStage = new AtomicReference<>();
    final Map<BuildStage, StageBuild> builds = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<BuildStage, StageReport> reports = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Queue<BuildInterruptedException.Place> interruptedAt =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
  }

  /** How long an interrupted build waits for its stages to stop (killing a step is quick). */
  private static final java.time.Duration STOP_WAIT = java.time.Duration.ofMinutes(2);

  /**
   * Builds the plan. Interruptible: an interrupt of the calling thread interrupts every running
   * stage (a RUN step's container is killed, its partial layer dropped), waits until they have
   * all stopped, keeps the cache records of the steps that finished (their layers stay, as cache
   * entries keep them), rolls back everything else and throws {@link BuildInterruptedException}
   * with the interrupt status set again.
   */
  BuildResult build(Plan plan, BuildOptions options) {
    try {
      return run(plan, options);
    } catch (BuildInterruptedException e) {
      // Only now, with the operation closed: its rollback takes a file lock, which an
      // interrupted thread cannot.
      Thread.currentThread().interrupt();
      throw e;
    } catch (RuntimeException e) {
      if (Interrupts.isInterrupt(e)) { // before any stage ran: the store lock's wait saw it
        Thread.currentThread().interrupt();
        throw new BuildInterruptedException("before its first step", e);
      }
      throw e;
    }
  }

  private BuildResult run(Plan plan, BuildOptions options) {
    BuildListener listener = serialized(options.listener());
    BuildOptions opts = options.withListener(listener);
    String targetLabel = plan.label(plan.target());
    for (BuildStage skipped : plan.skipped()) {
      listener.on(new BuildEvent.StageSkipped(plan.label(skipped), skipped.steps().size(),
          "not needed for target " + targetLabel));
    }
    Shared shared = new Shared();
    ExecutorService pool = Executors.newFixedThreadPool(plan.order().size(), threads());
    try (Operation operation = store.operation()) {
      Map<BuildStage, CompletableFuture<StageOutput>> futures = new LinkedHashMap<>();
      for (BuildStage stage : plan.order()) {
        List<CompletableFuture<StageOutput>> deps = plan.dependencies().get(stage).stream().map(futures::get).toList();
        futures.put(stage, CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
            .handleAsync((ignored, depFailed) -> runStage(plan, stage, futures, operation, opts, shared, depFailed),
                pool));
      }
      try {
        for (CompletableFuture<StageOutput> future : futures.values()) {
          await(future);
        }
      } catch (InterruptedException e) {
        throw stopInterrupted(pool, shared);
      }
      if (shared.failure.get() instanceof BuildInterruptedException) {
        throw stopInterrupted(pool, shared); // a stage saw an interrupt that the caller's wait did not
      }
      if (shared.failure.get() != null) {
        throw shared.failure.get(); // The operation closes uncommitted: the store is as it was.
      }
      StageBuild target = shared.builds.get(plan.target());
      StageOutput targetOutput = futures.get(plan.target()).join();
      try {
        BuildResult result = target.state().finishImage(operation, target.created(), targetOutput.steps());
        plan.order().forEach(stage -> shared.builds.get(stage).cache().flush());
        operation.commit();
        return result.withStages(reports(plan, shared));
      } catch (RuntimeException e) {
        if (!Interrupts.interruptedBy(e)) {
          throw e;
        }
        // Every step finished: they are all cached; only the image is not written.
        Thread.interrupted();
        shared.builds.values().forEach(build -> build.cache().flush());
        throw new BuildInterruptedException("while writing its image (every step is cached)", e);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private StageOutput runStage(Plan plan, BuildStage stage, Map<BuildStage, CompletableFuture<StageOutput>> futures,
      Operation operation, BuildOptions options, Shared shared, Throwable depFailed) {
    String label = label(plan, stage);
    if (depFailed != null || shared.failure.get() != null) {
      String why = "not run: stage " + shared.failedStage.get() + " failed";
      options.listener().on(new BuildEvent.StageSkipped(label, stage.steps().size(), why));
      shared.reports.put(stage, new StageReport(label, Verdict.SKIPPED, why, List.of()));
      throw new StageBuild.StageCancelledException();
    }
    BuildOptions stageOptions = stage.context() == null ? options : options.withContextDir(stage.context());
    try {
      StageBuild build = start(plan, stage, label, futures, operation, stageOptions);
      shared.builds.put(stage, build);
      List<StepResult> steps = build.run(stage.steps(), () -> shared.failure.get() != null);
      shared.reports.put(stage, new StageReport(label, verdict(steps), "", steps));
      return new StageOutput(label, build.state(), build.cache().lastKey(), steps);
    } catch (BuildInterruptedException e) {
      shared.interruptedAt.addAll(e.places());
      shared.failure.compareAndSet(null, e);
      shared.reports.put(stage, new StageReport(label, Verdict.FAILED, "interrupted", List.of()));
      throw e;
    } catch (StageBuild.StageCancelledException e) {
      shared.reports.put(stage, new StageReport(label, Verdict.SKIPPED, "another stage failed", List.of()));
      throw e;
    } catch (RuntimeException e) {
      if (shared.failure.compareAndSet(null, e)) {
        shared.failedStage.set(plan.label(stage));
      }
      shared.reports.put(stage, new StageReport(label, Verdict.FAILED, e.getMessage(), List.of()));
      throw e;
    }
  }

  private StageBuild start(Plan plan, BuildStage stage, String label,
      Map<BuildStage, CompletableFuture<StageOutput>> futures, Operation operation, BuildOptions options) {
    java.util.function.Function<StageRef, StageOutput> outputs = ref -> futures.get(plan.resolved().get(ref)).join();
    if (stage.base() instanceof BaseImage.FromStage fromStage) {
      StageOutput parent = outputs.apply(fromStage.stage());
      return new StageBuild(store, operation, label, StageState.startFrom(parent.state()),
          new StepCache(store, parent.lastKey(), parent.label(), options), options, outputs);
    }
    StageState state = StageState.start(stage.base(), store);
    return new StageBuild(store, operation, label, state,
        new StepCache(store, stage.base(), state.baseManifestDigest(), options), options, outputs);
  }

  /** A one-stage build labels nothing, so its events read as before stages existed. */
  private static String label(Plan plan, BuildStage stage) {
    return plan.order().size() == 1 && plan.skipped().isEmpty() && stage.name() == null ? "" : plan.label(stage);
  }

  private static Verdict verdict(List<StepResult> steps) {
    return !steps.isEmpty() && steps.stream().allMatch(s -> s.verdict() == Verdict.CACHED)
        ? Verdict.CACHED : Verdict.BUILT;
  }

  private static List<StageReport> reports(Plan plan, Shared shared) {
    List<StageReport> reports = new ArrayList<>();
    for (BuildStage skipped : plan.skipped()) {
      reports.add(new StageReport(plan.label(skipped), Verdict.SKIPPED,
          "not needed for target " + plan.label(plan.target()), List.of()));
    }
    plan.order().forEach(stage -> reports.add(shared.reports.get(stage)));
    return reports;
  }

  /** Waits for a stage; {@code get}, not {@code join}, so that an interrupt ends the wait. */
  private static void await(CompletableFuture<StageOutput> future) throws InterruptedException {
    try {
      future.get();
    } catch (ExecutionException | CancellationException e) {
      // Recorded in Shared.failure (or a cancelled stage): reported once, by the caller.
    }
  }

  /**
   * Stops an interrupted build: interrupts the stages' threads and waits for them to end, then
   * writes the cache records of the steps that finished, so that the rollback keeps their layers
   * and the next build starts after them.
   */
  private static BuildInterruptedException stopInterrupted(ExecutorService pool, Shared shared) {
    pool.shutdownNow();
    if (Interrupts.awaitTermination(pool, STOP_WAIT)) { // a stage still running could still be adding records
      shared.builds.values().forEach(build -> build.cache().flush());
    }
    List<BuildInterruptedException.Place> places = new ArrayList<>(shared.interruptedAt);
    places.sort(java.util.Comparator.comparing(place -> !place.running()));
    return new BuildInterruptedException(places);
  }

  /** Listeners see one event at a time, whichever stage's thread sends it. */
  private static BuildListener serialized(BuildListener listener) {
    Object lock = new Object();
    return event -> {
      synchronized (lock) {
        listener.on(event);
      }
    };
  }

  private static ThreadFactory threads() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "minke-build-stage-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
