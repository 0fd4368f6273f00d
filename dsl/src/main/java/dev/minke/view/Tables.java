package dev.minke.view;

import java.util.List;

/** The two table shapes of the views: rows of labelled values, and rows under a header. */
final class Tables {
  private Tables() {}

  /** One cell's content: escaped text, or markup a view made. */
  record Cell(String markup) {
    static Cell text(String text) {
      return new Cell(Html.escape(text));
    }

    static Cell code(String text) {
      return new Cell(new Html().element("span", Styles.CODE, text).toString());
    }
  }

  /** A row of a two-column table: a label and its value. */
  record Field(String label, Cell value) {
    static Field text(String label, String value) {
      return new Field(label, Cell.text(value));
    }

    static Field code(String label, String value) {
      return new Field(label, Cell.code(value));
    }
  }

  /** {@code <table>} of label/value rows, labels as row headers. */
  static void fields(Html html, List<Field> fields) {
    html.open("table", Styles.TABLE).open("tbody");
    for (Field field : fields) {
      html.open("tr").element("th", Styles.TH, field.label())
          .open("td", Styles.TD).raw(field.value().markup()).close("td").close("tr");
    }
    html.close("tbody").close("table");
  }

  /** {@code <table>} with a header row and one row per entry of {@code rows}. */
  static void rows(Html html, List<String> header, List<List<Cell>> rows) {
    html.open("table", Styles.TABLE).open("thead").open("tr");
    for (String column : header) {
      html.element("th", Styles.TH, column);
    }
    html.close("tr").close("thead").open("tbody");
    for (List<Cell> row : rows) {
      html.open("tr");
      for (Cell cell : row) {
        html.open("td", Styles.TD).raw(cell.markup()).close("td");
      }
      html.close("tr");
    }
    html.close("tbody").close("table");
  }
}
