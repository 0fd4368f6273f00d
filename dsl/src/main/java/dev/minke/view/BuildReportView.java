package dev.minke.view;

import dev.minke.build.BuildResult;
import dev.minke.build.StageReport;
import dev.minke.build.StepResult;
import dev.minke.build.Verdict;
import dev.minke.dsl.Image;
import dev.minke.dsl.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a build did: every stage with its verdict (SKIPPED and FAILED with the reason) and every
 * step with its verdict, reason and layer; step times appear in the HTML only, so the text and
 * JSON of the same build are always the same.
 *
 * <p>JSON: {@code {"stages":[{"stage":"build", "verdict":"BUILT", "reason":"", "cacheHits":N,
 * "steps":[{"index":0, "createdBy":"RUN make", "verdict":"CACHED", "reason":"cache hit",
 * "layer":"sha256:…" or null, "sizeBytes":N}]}], "cacheHits":N, "steps":N}}; the top-level
 * counts cover the steps of every stage, {@code sizeBytes} is the compressed layer (0 for a
 * config step).
 */
public final class BuildReportView {
  private static final int COLUMNS = 6;

  private BuildReportView() {}

  /** The report of a build with its stages (a result without stage reports: its steps). */
  public static MimeBundle bundle(BuildResult result) {
    return bundle(result.stages().isEmpty() ? List.of(stageOf("target", result.steps())) : result.stages());
  }

  /** The report of the build that made {@code image}, from its steps (none if it was looked up). */
  public static MimeBundle bundle(Image image) {
    return bundle(List.of(stageOf("target", image.steps())));
  }

  /** The report of these stages. */
  public static MimeBundle bundle(List<StageReport> stages) {
    return MimeBundle.of(plain(stages), html(stages), json(stages));
  }

  /** One stage made of {@code steps}: CACHED when all of them were, FAILED if one failed. */
  static StageReport stageOf(String label, List<StepResult> steps) {
    Verdict verdict = steps.stream().allMatch(s -> s.verdict() == Verdict.CACHED) ? Verdict.CACHED : Verdict.BUILT;
    if (steps.stream().anyMatch(s -> s.verdict() == Verdict.FAILED)) {
      verdict = Verdict.FAILED;
    }
    return new StageReport(label, verdict, "", steps);
  }

  static long cacheHits(List<StepResult> steps) {
    return steps.stream().filter(s -> s.verdict() == Verdict.CACHED).count();
  }

  static String html(List<StageReport> stages) {
    Html html = new Html();
    html.open("table", Styles.TABLE).open("thead").open("tr");
    for (String head : List.of("step", "verdict", "instruction", "reason", "layer", "time")) {
      html.element("th", Styles.HEAD, head);
    }
    html.close("tr").close("thead").open("tbody");
    for (StageReport stage : stages) {
      html.open("tr").raw("<td colspan=\"" + COLUMNS + "\" style=\"" + Html.escape(Styles.CELL) + "\">")
          .element("span", Styles.TITLE, "stage " + stage.stage()).text(" ")
          .element("span", Styles.verdictBadge(stage.verdict().name()), stage.verdict().name())
          .text(" ")
          .element("span", Styles.MUTED, summary(stage)).close("td").close("tr");
      for (StepResult step : stage.steps()) {
        html.open("tr").element("td", Styles.CELL_RIGHT, Integer.toString(step.index() + 1))
            .open("td", Styles.CELL).element("span", Styles.verdictBadge(step.verdict().name()), step.verdict().name())
            .close("td")
            .element("td", Styles.CELL + ";" + Styles.MONO, Styles.clip(step.createdBy(), 100))
            .element("td", Styles.CELL, Styles.printable(step.reason()))
            .element("td", Styles.CELL + ";" + Styles.MONO, step.layer()
                .map(l -> l.digest().shortHex() + " " + Texts.bytes(l.size())).orElse(""))
            .element("td", Styles.CELL_RIGHT, step.durationMillis() + " ms").close("tr");
      }
    }
    return html.close("tbody").close("table").toString();
  }

  static String plain(List<StageReport> stages) {
    StringBuilder out = new StringBuilder();
    for (StageReport stage : stages) {
      out.append("stage ").append(stage.stage()).append(' ').append(stage.verdict()).append(": ")
          .append(summary(stage)).append('\n');
      List<List<String>> rows = new ArrayList<>();
      for (StepResult step : stage.steps()) {
        rows.add(List.of(Integer.toString(step.index() + 1), step.verdict().name(), Styles.clip(step.createdBy(), 50),
            Styles.clip(step.reason(), 60)));
      }
      if (!rows.isEmpty()) {
        out.append(Texts.table(List.of("STEP", "VERDICT", "INSTRUCTION", "REASON"), rows));
      }
    }
    return out.toString();
  }

  static Map<String, Object> json(List<StageReport> stages) {
    List<Object> stageList = new ArrayList<>();
    long hits = 0;
    long count = 0;
    for (StageReport stage : stages) {
      stageList.add(Json.object("stage", stage.stage(), "verdict", stage.verdict().name(), "reason", stage.reason(),
          "cacheHits", cacheHits(stage.steps()), "steps", steps(stage.steps())));
      hits += cacheHits(stage.steps());
      count += stage.steps().size();
    }
    return Json.object("stages", stageList, "cacheHits", hits, "steps", count);
  }

  static List<Object> steps(List<StepResult> steps) {
    List<Object> list = new ArrayList<>();
    for (StepResult step : steps) {
      list.add(Json.object("index", step.index(), "createdBy", step.createdBy(), "verdict", step.verdict().name(),
          "reason", step.reason(), "layer", step.layer().map(l -> l.digest().toString()).orElse(null),
          "sizeBytes", step.layerSizeBytes()));
    }
    return list;
  }

  /** "3/5 steps cached", or the reason a stage did not run. */
  private static String summary(StageReport stage) {
    if (!stage.reason().isEmpty()) {
      return stage.reason();
    }
    return stage.steps().isEmpty() ? "no steps"
        : cacheHits(stage.steps()) + "/" + stage.steps().size() + " steps cached";
  }
}
