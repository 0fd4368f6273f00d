package dev.minke.view;

import dev.minke.build.BuildEvent;
import dev.minke.build.Verdict;
import dev.minke.dsl.BuildDisplay;
import dev.minke.dsl.Image;
import dev.minke.registry.Reference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A build's live progress, the state behind a notebook's build display: it takes the build's
 * events from any thread (stages interleave) and renders a {@link MimeBundle} of the moment at
 * any time, and the final one once {@link #finished} or {@link #failed} was called. See {@link
 * BuildProgressView} for what the bundle shows and its JSON.
 *
 * <p>Rendering is cheap but not free: a front end that publishes updates polls {@link #changed()}
 * (or compares {@link #version()}) and renders at most a few times a second.
 */
public final class BuildProgress implements BuildDisplay {
  /** How many of a running step's last lines are shown. */
  public static final int TAIL_LINES = 10;
  /** Where a shown line is cut. */
  public static final int LINE_CHARS = 160;

  private final Map<String, StageProgress> stages = new LinkedHashMap<>(); // guarded by this
  private BuildSnapshot.Outcome outcome; // guarded by this
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong renderedVersion = new AtomicLong(-1);

  @Override
  public void on(BuildEvent event) {
    synchronized (this) {
      if (event instanceof BuildEvent.StepStarted started) {
        stage(started.stage(), started.count()).step(started.index(), started.step()).started();
      } else if (event instanceof BuildEvent.OutputLine line) {
        stage(line.stage(), 0).step(line.index(), null).output(OutputText.clean(line.line(), LINE_CHARS));
      } else if (event instanceof BuildEvent.StepFinished done) {
        stage(done.stage(), done.count()).step(done.index(), done.step())
            .finished(done.verdict(), done.reason(), done.durationMillis());
      } else if (event instanceof BuildEvent.StageSkipped skipped) {
        stage(skipped.stage(), skipped.stepCount()).skipped = skipped.reason();
      }
      version.incrementAndGet();
    }
  }

  /** The build stored {@code image}. */
  @Override
  public void finished(Image image) {
    end(new BuildSnapshot.Outcome.Built(image.reference().map(Reference::familiar).orElse(""),
        image.digest().toString()));
  }

  /** The build failed or was interrupted with {@code error}. */
  @Override
  public void failed(RuntimeException error) {
    end(new BuildSnapshot.Outcome.Failed(error.getClass().getSimpleName(),
        error.getMessage() == null ? error.toString() : error.getMessage()));
  }

  synchronized void end(BuildSnapshot.Outcome how) {
    outcome = how;
    version.incrementAndGet();
  }

  /** The bundle of this moment: while it runs, steps so far and the running steps' output; after, the result. */
  public MimeBundle render() {
    BuildSnapshot snapshot;
    long seen;
    synchronized (this) {
      snapshot = snapshot();
      seen = version.get();
    }
    renderedVersion.accumulateAndGet(seen, Math::max);
    return BuildProgressView.render(snapshot);
  }

  /** Grows by one with every event and at the end: a display whose version is unchanged need not be redrawn. */
  public long version() {
    return version.get();
  }

  /** Whether anything happened since the last {@link #render()}. */
  public boolean changed() {
    return version.get() != renderedVersion.get();
  }

  /** Whether {@link #finished} or {@link #failed} was called. */
  public synchronized boolean ended() {
    return outcome != null;
  }

  synchronized BuildSnapshot snapshot() {
    List<BuildSnapshot.Stage> copy = new ArrayList<>();
    stages.forEach((label, stage) -> copy.add(stage.snapshot(label)));
    return new BuildSnapshot(copy, outcome);
  }

  private StageProgress stage(String label, int count) {
    StageProgress stage = stages.computeIfAbsent(label, l -> new StageProgress());
    if (count > 0) {
      stage.count = count;
    }
    return stage;
  }

  /** One stage's steps as they are heard of. */
  private static final class StageProgress {
    int count;
    String skipped;
    final TreeMap<Integer, StepProgress> steps = new TreeMap<>();

    StepProgress step(int index, String text) {
      StepProgress step = steps.computeIfAbsent(index, i -> new StepProgress());
      if (text != null) {
        step.text = text;
      }
      return step;
    }

    BuildSnapshot.Stage snapshot(String label) {
      List<BuildSnapshot.Step> copy = new ArrayList<>();
      steps.forEach((index, s) -> copy.add(new BuildSnapshot.Step(index, Math.max(count, index + 1),
          s.text == null ? "step " + (index + 1) : s.text, s.verdict, s.reason, s.durationMillis,
          List.copyOf(s.tail), s.lines - s.tail.size())));
      return new BuildSnapshot.Stage(label, Math.max(count, steps.isEmpty() ? 0 : steps.lastKey() + 1), copy,
          skipped);
    }
  }

  /** One step: running until its verdict comes; its last lines while it runs. */
  private static final class StepProgress {
    String text;
    Verdict verdict;
    String reason = "";
    long durationMillis;
    final Deque<String> tail = new ArrayDeque<>();
    int lines;

    void started() {
      verdict = null;
    }

    void output(String line) {
      lines++;
      tail.addLast(line);
      if (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }

    void finished(Verdict how, String why, long millis) {
      verdict = how;
      reason = why == null ? "" : why;
      durationMillis = millis;
      if (how != Verdict.FAILED) {
        tail.clear(); // what a step that worked wrote is not news; a failed step's last lines are the story
        lines = 0;
      }
    }
  }
}
