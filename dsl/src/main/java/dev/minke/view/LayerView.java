package dev.minke.view;

import dev.minke.dsl.Layer;
import dev.minke.dsl.Texts;
import dev.minke.image.LayerDiff;
import java.util.Map;

/**
 * One layer as a collapsible row: index, short digest, size, verdict and reason, {@code +A ~M −R}
 * and the step that made it; opened, its digests and the file tree of its diff.
 *
 * <p>JSON: {@code {"index":0, "digest":"sha256:…", "diffId":"sha256:…", "chainId":"sha256:…",
 * "createdBy":"COPY a /", "verdict":"CACHED", "reason":"cache hit", "sizeBytes":N,
 * "contentBytes":N, "added":N, "modified":N, "deleted":N, "changes":[…], "moreChanges":N}}.
 * {@code verdict} is CACHED or BUILT (a step of the build made the layer), BASE (no step of the
 * build did: it came with the base image) or UNKNOWN (no build record); {@code sizeBytes} is the
 * compressed blob, {@code contentBytes} the sum of its entries' sizes; {@code changes} as in
 * {@link DiffTreeView}.
 */
public final class LayerView {
  private LayerView() {}

  /** The bundle of a layer on its own, shown opened (no build record: verdict UNKNOWN). */
  public static MimeBundle bundle(Layer layer) {
    LayerFacts facts = LayerFacts.alone(layer);
    DiffTreeView tree = DiffTreeView.of(layer.diff());
    String plain = layer + "  " + layer.diff() + "\n" + tree.plain();
    return MimeBundle.of(plain, html(facts, tree, true), json(facts, tree));
  }

  static String html(LayerFacts facts, DiffTreeView tree, boolean open) {
    Layer layer = facts.layer();
    LayerDiff diff = layer.diff();
    Html html = new Html();
    html.raw(open ? "<details open=\"open\" style=\"" + Html.escape(Styles.BOX) + "\">"
        : "<details style=\"" + Html.escape(Styles.BOX) + "\">");
    html.open("summary", Styles.SUMMARY)
        .element("span", "display:inline-block;min-width:2.5em;" + Styles.TITLE, "#" + layer.index())
        .element("span", "display:inline-block;min-width:9em;" + Styles.MONO, layer.digest().shortHex())
        .element("span", "display:inline-block;min-width:6em;text-align:right;padding-right:1em",
            Texts.bytes(layer.compressedSizeBytes()))
        .element("span", Styles.verdictBadge(facts.verdict()), facts.verdict())
        .text(" ")
        .element("span", "display:inline-block;min-width:8em;" + Styles.MONO, DiffTreeView.counts(diff))
        .element("span", Styles.MONO, Styles.clip(facts.createdBy(), 90));
    if (!facts.reason().isEmpty() && !facts.verdict().equals("BASE")) {
      // The cache's explanation belongs in the row itself: it is why the row says BUILT.
      html.text(" ").element("span", Styles.MUTED, "(" + Styles.clip(facts.reason(), 60) + ")");
    }
    html.close("summary");
    html.open("table", Styles.TABLE + ";font-size:90%").open("tbody");
    fact(html, "digest", layer.digest().toString());
    fact(html, "diff ID", layer.diffId().toString());
    fact(html, "chain ID", layer.chainId().toString());
    fact(html, "created by", Styles.printable(facts.createdBy()));
    fact(html, "verdict", facts.verdict() + (facts.reason().isEmpty() ? "" : ": " + facts.reason())
        + facts.step().map(s -> " (" + s.durationMillis() + " ms)").orElse(""));
    fact(html, "size", Texts.bytes(layer.compressedSizeBytes()) + " compressed, "
        + Texts.bytes(layer.listing().sizeBytes()) + " in files");
    html.close("tbody").close("table");
    return html.raw(tree.html()).close("details").toString();
  }

  static Map<String, Object> json(LayerFacts facts, DiffTreeView tree) {
    Layer layer = facts.layer();
    LayerDiff diff = layer.diff();
    return Json.object("index", layer.index(), "digest", layer.digest().toString(),
        "diffId", layer.diffId().toString(), "chainId", layer.chainId().toString(),
        "createdBy", facts.createdBy(), "verdict", facts.verdict(), "reason", facts.reason(),
        "sizeBytes", layer.compressedSizeBytes(), "contentBytes", layer.listing().sizeBytes(),
        "added", diff.addedCount(), "modified", diff.modifiedCount(), "deleted", diff.deletedCount(),
        "changes", DiffTreeView.json(diff, tree).get("changes"), "moreChanges", tree.moreChanges());
  }

  private static void fact(Html html, String name, String value) {
    html.open("tr").element("td", Styles.CELL + ";" + Styles.MUTED, name)
        .element("td", Styles.CELL + ";" + Styles.MONO + ";word-break:break-all", value).close("tr");
  }
}
