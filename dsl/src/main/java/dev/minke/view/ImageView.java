package dev.minke.view;

import dev.minke.dsl.Image;
import dev.minke.dsl.Texts;
import dev.minke.image.Efficiency;
import dev.minke.image.ImageAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image as dive shows it: a header (name, digest, sizes, layer count, efficiency, wasted
 * bytes, cache hits), a picture of its layer stack, one collapsible row per layer with the file
 * tree of its diff, the wasted-space table and the build's steps.
 *
 * <p>JSON (same facts as the HTML; no times, so the same image always gives the same JSON):
 *
 * <pre>{@code
 * {"reference":"demo:1" or null, "digest":"sha256:…", "id":"sha256:…", "platform":"linux/amd64",
 *  "sizeBytes":N (compressed layers), "contentBytes":N (sum of the layers' entry sizes),
 *  "layerCount":N, "efficiency":0.97 (dive's score, 0..1), "wastedBytes":N,
 *  "userWastedPercent":0.01 (a fraction, as dive's CI gate), "cacheHits":N, "steps":N,
 *  "layers":[{…one per layer, bottom first, see LayerView…}],
 *  "inefficiencies":[{"path":"app/x", "count":2, "totalBytes":N}] (top 20, largest first),
 *  "buildSteps":[{…see BuildReportView…}]}
 * }</pre>
 *
 * {@code cacheHits}/{@code steps} count the steps of the build that made the value ("3/5 steps
 * cached"); both are 0 for an image that was looked up rather than built.
 */
public final class ImageView {
  /** Rows of a base layer's tree in the image view. */
  static final int BASE_LAYER_ROWS = 30;

  private ImageView() {}

  public static MimeBundle bundle(Image image) {
    List<LayerFacts> layers = LayerFacts.of(image);
    List<DiffTreeView> trees = new ArrayList<>();
    for (LayerFacts facts : layers) {
      // A base image's layers are not what the reader built: a short tree keeps the view (and
      // the saved notebook) small; layer(i).diff() shows the whole of it.
      trees.add(DiffTreeView.of(facts.layer().diff(),
          facts.verdict().equals("BASE") ? BASE_LAYER_ROWS : DiffTreeView.MAX_ROWS));
    }
    String svg = svg(image, layers);
    return MimeBundle.of(plain(image, layers), html(image, layers, trees, svg), json(image, layers, trees))
        .with(MimeBundle.SVG, svg);
  }

  /** The picture of the image's layer stack, coloured by verdict. */
  static String svg(Image image, List<LayerFacts> layers) {
    return LayerStackSvg.single(name(image) + " \u2014 " + layers.size() + " layers", bars(layers));
  }

  static List<LayerStackSvg.Bar> bars(List<LayerFacts> layers) {
    List<LayerStackSvg.Bar> bars = new ArrayList<>();
    for (LayerFacts facts : layers) {
      bars.add(new LayerStackSvg.Bar(facts.layer().digest().shortHex() + " " + facts.createdBy(),
          facts.layer().compressedSizeBytes(), LayerStackSvg.fillOf(facts.verdict())));
    }
    return bars;
  }

  static String name(Image image) {
    return image.reference().map(r -> r.familiar()).orElse("<untagged>");
  }

  private static String cacheLine(Image image) {
    if (image.steps().isEmpty()) {
      return "no build record";
    }
    return BuildReportView.cacheHits(image.steps()) + "/" + image.steps().size() + " steps cached";
  }

  private static String html(Image image, List<LayerFacts> layers, List<DiffTreeView> trees, String svg) {
    ImageAnalysis analysis = image.analysis();
    Efficiency efficiency = analysis.efficiency();
    Html html = new Html().open("div", "line-height:1.4");
    html.open("div", Styles.BOX).element("div", Styles.TITLE + ";font-size:110%", "Image " + name(image));
    html.open("table", Styles.TABLE).open("tbody");
    fact(html, "digest", image.digest().toString(), true);
    fact(html, "id", image.id().toString(), true);
    fact(html, "platform", image.config().platform().toString(), false);
    fact(html, "size", Texts.bytes(image.compressedSizeBytes()) + " compressed, "
        + Texts.bytes(analysis.sizeBytes()) + " in files", false);
    fact(html, "layers", Integer.toString(layers.size()), false);
    fact(html, "efficiency", Styles.percent(efficiency.score()), false);
    fact(html, "wasted", Texts.bytes(efficiency.wastedBytes()) + " (" + Styles.percent(efficiency.userWastedPercent())
        + " of the layers above the base)", false);
    fact(html, "cache", cacheLine(image), false);
    html.close("tbody").close("table").close("div");
    html.open("div", "margin:4px 0").raw(svg).close("div");
    html.element("div", Styles.TITLE + ";margin-top:6px", "Layers (bottom first)");
    for (int i = 0; i < layers.size(); i++) {
      html.raw(LayerView.html(layers.get(i), trees.get(i), false));
    }
    html.element("div", Styles.TITLE + ";margin-top:6px",
        "Wasted space (" + efficiency.inefficiencies().size() + " paths in more than one layer)");
    html.raw(WasteTable.html(efficiency));
    if (!image.steps().isEmpty()) {
      html.raw("<details style=\"" + Html.escape(Styles.BOX) + "\">")
          .element("summary", Styles.SUMMARY + ";" + Styles.TITLE, "Build steps (" + cacheLine(image) + ")")
          .raw(BuildReportView.html(List.of(BuildReportView.stageOf("target", image.steps()))))
          .close("details");
    }
    return html.close("div").toString();
  }

  private static void fact(Html html, String name, String value, boolean mono) {
    html.open("tr").element("td", Styles.CELL + ";" + Styles.MUTED, name)
        .element("td", Styles.CELL + (mono ? ";" + Styles.MONO : ""), value).close("tr");
  }

  private static Map<String, Object> json(Image image, List<LayerFacts> layers, List<DiffTreeView> trees) {
    ImageAnalysis analysis = image.analysis();
    Efficiency efficiency = analysis.efficiency();
    List<Object> layerList = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      layerList.add(LayerView.json(layers.get(i), trees.get(i)));
    }
    return Json.object("reference", image.reference().map(r -> r.familiar()).orElse(null),
        "digest", image.digest().toString(), "id", image.id().toString(),
        "platform", image.config().platform().toString(),
        "sizeBytes", image.compressedSizeBytes(), "contentBytes", analysis.sizeBytes(),
        "layerCount", layers.size(), "efficiency", efficiency.score(), "wastedBytes", efficiency.wastedBytes(),
        "userWastedPercent", efficiency.userWastedPercent(),
        "cacheHits", BuildReportView.cacheHits(image.steps()), "steps", image.steps().size(),
        "layers", layerList, "inefficiencies", WasteTable.json(efficiency),
        "buildSteps", BuildReportView.steps(image.steps()));
  }

  /** The one-line summary, a layer table and the efficiency line, with no times. */
  private static String plain(Image image, List<LayerFacts> layers) {
    Efficiency efficiency = image.efficiency();
    StringBuilder out = new StringBuilder();
    out.append(image).append('\n');
    List<List<String>> rows = new ArrayList<>();
    for (LayerFacts facts : layers) {
      rows.add(List.of(Integer.toString(facts.layer().index()), facts.layer().digest().shortHex(),
          Texts.bytes(facts.layer().compressedSizeBytes()), DiffTreeView.counts(facts.layer().diff()).replace('\u2212', '-'),
          facts.verdict(), Styles.clip(facts.createdBy(), 60)));
    }
    out.append(Texts.table(List.of("LAYER", "DIGEST", "SIZE", "CHANGES", "VERDICT", "CREATED BY"), rows));
    out.append("efficiency ").append(Styles.percent(efficiency.score())).append(", wasted ")
        .append(Texts.bytes(efficiency.wastedBytes())).append(", cache: ").append(cacheLine(image)).append('\n');
    out.append(WasteTable.plain(efficiency));
    return out.toString();
  }
}
