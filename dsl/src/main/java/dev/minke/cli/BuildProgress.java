package dev.minke.cli;

import dev.minke.build.BuildEvent;
import dev.minke.build.BuildListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code minke build} shows progress: {@code plain} prints one line per finished step (and per
 * skipped stage); {@code tty} keeps a list of every step started so far and redraws it in place
 * as steps start, print and finish. {@code auto} is {@code tty} on a terminal, else {@code plain}.
 */
abstract class BuildProgress implements BuildListener {
  final PrintStream out;

  BuildProgress(PrintStream out) {
    this.out = out;
  }

  static BuildProgress of(String mode, PrintStream out) {
    boolean terminal = out == System.out && System.console() != null;
    return mode.equals("tty") || (mode.equals("auto") && terminal) ? new Tty(out) : new Plain(out);
  }

  /** Called once the build has ended, however it ended. */
  void finish() {}

  static String prefix(BuildEvent event, int index, int count) {
    String position = index < 0 ? "" : (index + 1) + "/" + count;
    String stage = event.stage().isEmpty() ? "" : event.stage() + (position.isEmpty() ? "" : " ");
    return "[" + stage + position + "]";
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  /** One line per finished step, in the order steps finish. */
  static final class Plain extends BuildProgress {
    Plain(PrintStream out) {
      super(out);
    }

    @Override
    public void on(BuildEvent event) {
      if (event instanceof BuildEvent.StepFinished done) {
        out.println(prefix(done, done.index(), done.count()) + " " + done.verdict() + " " + done.step()
            + (done.reason().isEmpty() ? "" : " (" + done.reason() + ")") + " " + seconds(done.durationMillis()));
      } else if (event instanceof BuildEvent.StageSkipped skipped) {
        out.println(prefix(skipped, -1, 0) + " SKIPPED stage (" + skipped.reason() + ")");
      }
      out.flush();
    }
  }

  /** A live list: each step's row shows RUNNING with its last output line, then its verdict. */
  static final class Tty extends BuildProgress {
    private final Map<String, String> rows = new LinkedHashMap<>();
    private final int width = columns();
    private int drawn;

    Tty(PrintStream out) {
      super(out);
    }

    @Override
    public void on(BuildEvent event) {
      String key = event.stage() + "#" + event.index();
      if (event instanceof BuildEvent.StepStarted start) {
        rows.put(key, prefix(start, start.index(), start.count()) + " RUNNING " + start.step());
      } else if (event instanceof BuildEvent.OutputLine line && rows.containsKey(key)) {
        String row = rows.get(key);
        int bar = row.indexOf(" | ");
        rows.put(key, (bar < 0 ? row : row.substring(0, bar)) + " | " + line.line());
      } else if (event instanceof BuildEvent.StepFinished done) {
        rows.put(key, prefix(done, done.index(), done.count()) + " " + done.verdict() + " " + done.step()
            + (done.reason().isEmpty() ? "" : " (" + done.reason() + ")") + " " + seconds(done.durationMillis()));
      } else if (event instanceof BuildEvent.StageSkipped skipped) {
        rows.put(key, prefix(skipped, -1, 0) + " SKIPPED stage (" + skipped.reason() + ")");
      }
      redraw();
    }

    private static int columns() {
      try {
        return Math.max(20, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")));
      } catch (NumberFormatException e) {
        return 100;
      }
    }

    private void redraw() {
      StringBuilder frame = new StringBuilder();
      if (drawn > 0) {
        frame.append("\033[").append(drawn).append('F'); // To the start of the first row drawn.
      }
      List<String> lines = new ArrayList<>(rows.values());
      for (String line : lines) {
        // A row longer than the terminal would wrap and throw off the cursor-up count.
        frame.append("\033[2K").append(line.length() < width ? line : line.substring(0, width - 1)).append('\n');
      }
      drawn = lines.size();
      out.print(frame);
      out.flush();
    }
  }
}
