package dev.minke.view;

import dev.minke.runtime.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a {@code run} ended: exit code, OOM kill, and the output, each stream cut to its last
 * {@value #MAX_LINES} lines. The duration and the (random) container ID are in the HTML only, so
 * the same run shows the same JSON and text every time.
 *
 * <p>JSON: <pre>{@code
 * {"exitCode": 0, "succeeded": true, "oomKilled": false,
 *  "stdout": "…", "stderr": "…",        (the last MAX_LINES lines of each)
 *  "stdoutLinesOmitted": 0, "stderrLinesOmitted": 0}
 * }</pre>
 */
public final class RunResultView {
  static final int MAX_LINES = 200;

  private RunResultView() {}

  public static MimeBundle of(RunResult result) {
    OutputTail stdout = OutputTail.of(result.stdout(), MAX_LINES);
    OutputTail stderr = OutputTail.of(result.stderr(), MAX_LINES);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("exitCode", result.exitCode());
    json.put("succeeded", result.succeeded());
    json.put("oomKilled", result.oomKilled());
    json.put("stdout", stdout.text());
    json.put("stderr", stderr.text());
    json.put("stdoutLinesOmitted", stdout.omitted());
    json.put("stderrLinesOmitted", stderr.omitted());

    String status = "exit " + result.exitCode() + (result.oomKilled() ? " (OOM killed)" : "");
    Html html = new Html().open("div", Styles.ROOT).open("div", Styles.TITLE).text("run ")
        .raw(Styles.badgeMarkup(status, result.succeeded() ? Styles.GREEN : Styles.RED))
        .element("span", Styles.MUTED, String.format(Locale.ROOT, " %.1fs", result.durationMillis() / 1000.0))
        .close("div");
    stream(html, "stdout", stdout);
    stream(html, "stderr", stderr);
    html.close("div");
    return MimeBundle.of(result.toString(), html.toString(), json);
  }

  private static void stream(Html html, String name, OutputTail tail) {
    if (tail.text().isEmpty()) {
      return;
    }
    html.element("div", Styles.SECTION, name + (tail.omitted() > 0 ? " (last " + MAX_LINES + " lines; "
        + tail.omitted() + " before)" : ""));
    html.element("pre", Styles.PRE, tail.text());
  }

  /** The last lines of a stream and how many came before them. */
  record OutputTail(String text, int omitted) {
    static OutputTail of(String output, int maxLines) {
      List<String> lines = output.lines().toList();
      if (lines.size() <= maxLines) {
        return new OutputTail(output, 0);
      }
      return new OutputTail(String.join("\n", lines.subList(lines.size() - maxLines, lines.size())) + "\n",
          lines.size() - maxLines);
    }
  }
}
