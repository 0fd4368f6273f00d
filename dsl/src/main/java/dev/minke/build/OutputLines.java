package dev.minke.build;

import dev.minke.runtime.OutputListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Turns a RUN container's output chunks into {@link BuildEvent.OutputLine} events, and keeps the
 * last lines (both streams, in the order they came) for the error when the step fails.
 */
final class OutputLines implements OutputListener {
  static final int KEPT_LINES = 20;

  private final int index;
  private final String stage;
  private final BuildListener listener;
  private final ByteArrayOutputStream stdoutPartial = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderrPartial = new ByteArrayOutputStream();
  private final Deque<String> last = new ArrayDeque<>();

  OutputLines(int index, String stage, BuildListener listener) {
    this.index = index;
    this.stage = stage;
    this.listener = listener;
  }

  @Override
  public void stdout(byte[] chunk, int length) {
    split(chunk, length, stdoutPartial, false);
  }

  @Override
  public void stderr(byte[] chunk, int length) {
    split(chunk, length, stderrPartial, true);
  }

  private void split(byte[] chunk, int length, ByteArrayOutputStream partial, boolean stderr) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (chunk[i] == '\n') {
        partial.write(chunk, start, i - start);
        line(partial, stderr);
        start = i + 1;
      }
    }
    partial.write(chunk, start, length - start);
  }

  private void line(ByteArrayOutputStream partial, boolean stderr) {
    String text = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    synchronized (last) {
      last.addLast(text);
      if (last.size() > KEPT_LINES) {
        last.removeFirst();
      }
    }
    listener.on(new BuildEvent.OutputLine(index, text, stderr, stage));
  }

  /** Ends unterminated last lines (call after the process ended). */
  void finish() {
    if (stdoutPartial.size() > 0) {
      line(stdoutPartial, false);
    }
    if (stderrPartial.size() > 0) {
      line(stderrPartial, true);
    }
  }

  List<String> lastLines() {
    synchronized (last) {
      return List.copyOf(last);
    }
  }
}
