package dev.minke.kernel;

import dev.minke.build.BuildEvent;
import dev.minke.dsl.BuildDisplay;
import dev.minke.dsl.Image;
import dev.minke.view.BuildProgress;
import dev.minke.view.MimeBundle;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One build's display in the cell: published when the build starts, replaced in place
 * ({@code update_display_data}) as steps start, print and finish — at most every {@link
 * #UPDATE_INTERVAL_MILLIS}, since a chatty RUN step can print thousands of lines, with a
 * deferred update so the last change is never left unshown — and replaced a last time by the
 * build report. The saved notebook keeps exactly one output for it.
 */
final class LiveBuildDisplay implements BuildDisplay {
  static final long UPDATE_INTERVAL_MILLIS = Long.getLong("minke.kernel.updateIntervalMillis", 200);

  /** Runs the deferred updates of every build display; one daemon thread is enough. */
  private static final ScheduledExecutorService DEFERRED = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "minke-display-updates");
    thread.setDaemon(true);
    return thread;
  });

  private final MinkeKernel kernel;
  private final BuildProgress progress = new BuildProgress();
  private final String displayId = "minke-build-" + UUID.randomUUID();
  private long lastUpdateNanos;
  private long shownVersion;
  private boolean updatePending;
  private boolean ended;

  LiveBuildDisplay(MinkeKernel kernel) {
    this.kernel = kernel;
    DisplayData first = data(progress.render());
    first.setDisplayId(displayId);
    Uninterrupted.run(() -> kernel.display(first));
    shownVersion = progress.version();
    lastUpdateNanos = System.nanoTime();
  }

  @Override
  public void on(BuildEvent event) {
    progress.on(event);
    synchronized (this) {
      long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastUpdateNanos);
      if (sinceLast >= UPDATE_INTERVAL_MILLIS) {
        showProgress();
      } else if (!updatePending) {
        updatePending = true;
        DEFERRED.schedule(this::deferredUpdate, UPDATE_INTERVAL_MILLIS - sinceLast, TimeUnit.MILLISECONDS);
      }
    }
  }

  private synchronized void deferredUpdate() {
    updatePending = false;
    showProgress();
  }

  private void showProgress() {
    if (ended || progress.version() == shownVersion) {
      return;
    }
    shownVersion = progress.version();
    lastUpdateNanos = System.nanoTime();
    update(progress.render());
  }

  @Override
  public synchronized void finished(Image image) {
    ended = true;
    progress.finished(image);
    update(progress.render());
  }

  @Override
  public synchronized void failed(RuntimeException error) {
    ended = true;
    progress.failed(error);
    update(progress.render());
  }

  private void update(MimeBundle bundle) {
    Uninterrupted.run(() -> kernel.getIO().display.updateDisplay(displayId, data(bundle)));
  }

  private static DisplayData data(MimeBundle bundle) {
    DisplayData data = new DisplayData();
    bundle.data().forEach(data::putData);
    return data;
  }
}
