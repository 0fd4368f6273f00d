package dev.minke.build;

import dev.minke.store.Operation;
import dev.minke.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  }

  BuildResult build(Plan plan, BuildOptions options) {
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
      futures.values().forEach(Executor::await);
      if (shared.failure.get() != null) {
        throw shared.failure.get(); // The operation closes uncommitted: the store is as it was.
      }
      StageBuild target = shared.builds.get(plan.target());
      StageOutput targetOutput = futures.get(plan.target()).join();
      BuildResult result = target.state().finishImage(operation, target.created(), targetOutput.steps());
      plan.order().forEach(stage -> shared.builds.get(stage).cache().flush());
      operation.commit();
      return result.withStages(reports(plan, shared));
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

  private static void await(CompletableFuture<StageOutput> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      // Recorded in Shared.failure (or a cancelled stage): reported once, by the caller.
    }
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
