package dev.minke.view;

import dev.minke.dsl.Texts;
import dev.minke.image.Efficiency;
import dev.minke.image.Inefficiency;
import java.util.ArrayList;
import java.util.List;

/**
 * dive's "inefficient files": the paths that several layers write or delete, largest total
 * first, the top {@link #MAX_ROWS} of them.
 */
final class WasteTable {
  static final int MAX_ROWS = 20;

  private WasteTable() {}

  static List<Inefficiency> top(Efficiency efficiency) {
    return efficiency.inefficiencies().stream().limit(MAX_ROWS).toList();
  }

  static String html(Efficiency efficiency) {
    Html html = new Html();
    if (efficiency.inefficiencies().isEmpty()) {
      return html.element("div", Styles.MUTED, "no wasted space: no path is written by more than one layer")
          .toString();
    }
    html.open("table", Styles.TABLE).open("thead").open("tr").element("th", Styles.HEAD, "count")
        .element("th", Styles.HEAD, "total space").element("th", Styles.HEAD, "path").close("tr").close("thead")
        .open("tbody");
    for (Inefficiency waste : top(efficiency)) {
      html.open("tr").element("td", Styles.CELL_RIGHT, Integer.toString(waste.count()))
          .element("td", Styles.CELL_RIGHT, Texts.bytes(waste.cumulativeBytes()))
          .element("td", Styles.CELL + ";" + Styles.MONO, "/" + Styles.printable(waste.path())).close("tr");
    }
    int more = efficiency.inefficiencies().size() - MAX_ROWS;
    if (more > 0) {
      html.open("tr").element("td", Styles.CELL, "").element("td", Styles.CELL, "")
          .element("td", Styles.CELL + ";" + Styles.MUTED, "\u2026 " + more + " more").close("tr");
    }
    return html.close("tbody").close("table").toString();
  }

  static List<Object> json(Efficiency efficiency) {
    List<Object> rows = new ArrayList<>();
    for (Inefficiency waste : top(efficiency)) {
      rows.add(Json.object("path", waste.path(), "count", waste.count(), "totalBytes", waste.cumulativeBytes()));
    }
    return rows;
  }

  static String plain(Efficiency efficiency) {
    List<List<String>> rows = new ArrayList<>();
    for (Inefficiency waste : efficiency.inefficiencies().stream().limit(10).toList()) {
      rows.add(List.of(Integer.toString(waste.count()), Texts.bytes(waste.cumulativeBytes()),
          "/" + Styles.clip(waste.path(), 80)));
    }
    return rows.isEmpty() ? "" : Texts.table(List.of("COUNT", "TOTAL SPACE", "PATH"), rows);
  }
}
