package dev.minke.view;

import dev.minke.build.Verdict;
import dev.minke.view.BuildSnapshot.Outcome;
import dev.minke.view.BuildSnapshot.Stage;
import dev.minke.view.BuildSnapshot.Step;
import dev.minke.view.Tables.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link BuildSnapshot}: a title, a done/total bar, the steps heard of with their
 * verdicts (grouped by stage when there are several), the last lines of each running step, and at
 * the end the image or the error. Step durations are in the HTML only, so the text and the JSON
 * of a build are the same on every run.
 *
 * <p>JSON: <pre>{@code
 * {"state": "running" | "finished" | "failed",
 *  "done": 3, "total": 7,          (steps finished + steps of skipped stages / steps of the stages heard of)
 *  "summary": "7 steps, 3 cached", (", 1 stage skipped" when one was)
 *  "stages": [{"stage": "build",   ("" in a one-stage build; in the order first heard of, which
 *                                   can vary between runs when stages run in parallel)
 *              "count": 5,
 *              "skipped": "not needed by the target",          (only for a skipped stage)
 *              "steps": [{"index": 0,                         (zero-based, as in BuildEvent)
 *                         "step": "RUN make",
 *                         "verdict": "RUNNING" | "CACHED" | "BUILT" | "SKIPPED" | "FAILED"
 *                                    | "STOPPED",            (still running when the build ended)
 *                         "reason": "cache hit",
 *                         "output": ["last", "lines"],         (running, stopped and failed steps only)
 *                         "outputLinesBefore": 12}]}],         (lines written before those)
 *  "image": "app:1", "digest": "sha256:…",                     (finished; image "" when unnamed)
 *  "error": "…", "errorType": "RunStepFailedException",        (failed)
 *  "stoppedAt": [{"stage": "build", "index": 2, "step": "RUN make"}]}   (failed: the failed steps,
 *                                                 or when none failed, the stopped ones)
 * }</pre>
 */
final class BuildProgressView {
  private BuildProgressView() {}

  static MimeBundle render(BuildSnapshot build) {
    return MimeBundle.of(plain(build), html(build), json(build));
  }

  // ---- JSON ----

  static Map<String, Object> json(BuildSnapshot build) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("state", state(build));
    json.put("done", build.done());
    json.put("total", build.total());
    json.put("summary", summary(build));
    List<Map<String, Object>> stages = new ArrayList<>();
    for (Stage stage : build.stages()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("stage", stage.label());
      s.put("count", stage.count());
      if (stage.skipped() != null) {
        s.put("skipped", stage.skipped());
      }
      s.put("steps", stage.steps().stream().map(step -> stepJson(build, step)).toList());
      stages.add(s);
    }
    json.put("stages", stages);
    if (build.outcome() instanceof Outcome.Built built) {
      json.put("image", built.image());
      json.put("digest", built.digest());
    } else if (build.outcome() instanceof Outcome.Failed failed) {
      json.put("error", failed.message());
      json.put("errorType", failed.type());
      List<Map<String, Object>> stopped = new ArrayList<>();
      for (StageStep at : stoppedAt(build)) {
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("stage", at.stage().label());
        where.put("index", at.step().index());
        where.put("step", at.step().text());
        stopped.add(where);
      }
      json.put("stoppedAt", stopped);
    }
    return json;
  }

  private static Map<String, Object> stepJson(BuildSnapshot build, Step step) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("index", step.index());
    json.put("step", step.text());
    json.put("verdict", verdict(build, step));
    json.put("reason", step.reason());
    if (!step.output().isEmpty()) {
      json.put("output", step.output());
      json.put("outputLinesBefore", step.linesBefore());
    }
    return json;
  }

  // ---- text ----

  static String plain(BuildSnapshot build) {
    StringBuilder out = new StringBuilder(title(build)).append('\n');
    if (build.outcome() == null) {
      out.append(ProgressBar.text(build.done(), build.total())).append('\n');
    }
    for (Stage stage : build.stages()) {
      if (stage.skipped() != null) {
        out.append('[').append(stage.label()).append("] SKIPPED stage (").append(stage.skipped()).append(")\n");
        continue;
      }
      for (Step step : stage.steps()) {
        out.append(position(stage, step)).append(' ').append(String.format(Locale.ROOT, "%-7s", verdict(build, step)))
            .append(' ').append(step.text()).append(step.reason().isEmpty() ? "" : " (" + step.reason() + ")")
            .append('\n');
        for (String line : step.output()) {
          out.append("    | ").append(line).append('\n');
        }
      }
    }
    if (build.outcome() instanceof Outcome.Failed failed) {
      out.append(failed.type()).append(": ").append(failed.message()).append('\n');
    }
    return out.toString().stripTrailing();
  }

  // ---- HTML ----

  static String html(BuildSnapshot build) {
    Html html = new Html().open("div", Styles.ROOT);
    html.open("div", Styles.TITLE).raw(Styles.badgeMarkup(state(build).toUpperCase(Locale.ROOT), stateColour(build)))
        .text(" " + title(build)).close("div");
    html.raw(ProgressBar.html(build.done(), build.total(),
        build.outcome() instanceof Outcome.Failed ? Styles.RED : Styles.GREEN));
    boolean collapse = build.outcome() instanceof Outcome.Built;
    if (collapse) {
      html.open("details").element("summary", Styles.SUMMARY, "steps: " + summary(build));
    }
    boolean severalStages = build.stages().size() > 1;
    for (Stage stage : build.stages()) {
      if (severalStages || stage.skipped() != null) {
        html.element("div", Styles.SECTION, "stage " + (stage.label().isEmpty() ? "(unnamed)" : stage.label())
            + (stage.skipped() != null ? ": skipped (" + stage.skipped() + ")" : ""));
      }
      if (!stage.steps().isEmpty()) {
        Tables.rows(html, List.of("step", "verdict", "instruction", "reason", "time"), stepRows(build, stage));
      }
    }
    if (collapse) {
      html.close("details");
    }
    for (Stage stage : build.stages()) {
      for (Step step : stage.steps()) {
        if (!step.output().isEmpty()) {
          html.element("div", Styles.SECTION, "output of " + position(stage, step) + " " + step.text()
              + (step.linesBefore() > 0 ? " (last " + step.output().size() + " lines)" : ""));
          html.element("pre", Styles.PRE, String.join("\n", step.output()));
        }
      }
    }
    if (build.outcome() instanceof Outcome.Failed failed) {
      html.element("div", Styles.SECTION, failed.type());
      html.element("pre", Styles.PRE, failed.message());
    }
    return html.close("div").toString();
  }

  private static List<List<Cell>> stepRows(BuildSnapshot build, Stage stage) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Step step : stage.steps()) {
      rows.add(List.of(Cell.text((step.index() + 1) + "/" + step.count()),
          new Cell(Styles.badgeMarkup(verdict(build, step), verdictColour(build, step.verdict()))),
          Cell.code(step.text()), Cell.text(step.reason()),
          Cell.text(step.running() || step.verdict() == Verdict.SKIPPED ? ""
              : String.format(Locale.ROOT, "%.1fs", step.durationMillis() / 1000.0))));
    }
    return rows;
  }

  // ---- shared words ----

  private static String state(BuildSnapshot build) {
    return build.outcome() == null ? "running"
        : build.outcome() instanceof Outcome.Built ? "finished" : "failed";
  }

  /** {@code building}, {@code built app:1 (sha256:…): 7 steps, 3 cached}, {@code build failed at …: message}. */
  static String title(BuildSnapshot build) {
    if (build.outcome() instanceof Outcome.Built built) {
      String digest = built.digest().length() > 19 ? built.digest().substring(0, 19) + "…" : built.digest();
      return "built " + (built.image().isEmpty() ? digest : built.image() + " (" + digest + ")") + ": "
          + summary(build);
    }
    if (build.outcome() instanceof Outcome.Failed failed) {
      List<String> at = stoppedAt(build).stream()
          .map(where -> position(where.stage(), where.step()) + " " + where.step().text()).toList();
      return "build failed" + (at.isEmpty() ? "" : " at " + String.join(", ", at)) + ": " + firstLine(failed.message());
    }
    return "building: " + summary(build);
  }

  /** {@code 7 steps, 3 cached}, plus {@code , 1 stage skipped}: of the steps heard of so far. */
  static String summary(BuildSnapshot build) {
    List<Step> decided = build.steps().stream().filter(s -> !s.running()).toList();
    long cached = decided.stream().filter(s -> s.verdict() == Verdict.CACHED).count();
    long skippedStages = build.stages().stream().filter(s -> s.skipped() != null).count();
    return decided.size() + (decided.size() == 1 ? " step, " : " steps, ") + cached + " cached"
        + (skippedStages == 0 ? "" : ", " + skippedStages + (skippedStages == 1 ? " stage" : " stages") + " skipped");
  }

  /** A step with its stage. */
  private record StageStep(Stage stage, Step step) {}

  /**
   * Where a failed build stopped: the steps that failed; when none did (an interrupt, an error
   * between steps), the steps that were running. Other stages' running steps were cancelled
   * because of the failure, so they are not where it stopped.
   */
  private static List<StageStep> stoppedAt(BuildSnapshot build) {
    List<StageStep> all = build.stages().stream()
        .flatMap(stage -> stage.steps().stream().map(step -> new StageStep(stage, step))).toList();
    List<StageStep> failed = all.stream().filter(s -> s.step().verdict() == Verdict.FAILED).toList();
    return failed.isEmpty() ? all.stream().filter(s -> s.step().running()).toList() : failed;
  }

  /** {@code [build 2/5]}, as the console prints it. */
  static String position(Stage stage, Step step) {
    return "[" + (stage.label().isEmpty() ? "" : stage.label() + " ") + (step.index() + 1) + "/" + step.count() + "]";
  }

  /** The step's verdict; a step without one is RUNNING, or STOPPED once the build has ended. */
  private static String verdict(BuildSnapshot build, Step step) {
    return !step.running() ? step.verdict().name() : build.outcome() == null ? "RUNNING" : "STOPPED";
  }

  private static String firstLine(String message) {
    return message.lines().findFirst().orElse("");
  }

  private static String verdictColour(BuildSnapshot build, Verdict verdict) {
    if (verdict == null) {
      return build.outcome() == null ? Styles.AMBER : Styles.GREY;
    }
    return switch (verdict) {
      case CACHED -> Styles.BLUE;
      case BUILT -> Styles.GREEN;
      case SKIPPED -> Styles.GREY;
      case FAILED -> Styles.RED;
    };
  }

  private static String stateColour(BuildSnapshot build) {
    return build.outcome() == null ? Styles.AMBER
        : build.outcome() instanceof Outcome.Built ? Styles.GREEN : Styles.RED;
  }
}
