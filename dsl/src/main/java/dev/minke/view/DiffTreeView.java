package dev.minke.view;

import dev.minke.dsl.Texts;
import dev.minke.image.ChangeKind;
import dev.minke.image.FileChange;
import dev.minke.image.FileType;
import dev.minke.image.LayerDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A layer's diff as a file tree: every changed path under its unchanged parent directories, with
 * a green, yellow or red mark for added, modified or deleted and its size, cut after {@link
 * #MAX_ROWS} rows with "… N more".
 *
 * <p>JSON: {@code {"added":N, "modified":N, "deleted":N, "addedBytes":N, "modifiedBytes":N,
 * "deletedBytes":N, "changes":[{"path":"app/x", "kind":"ADDED", "type":"FILE", "sizeBytes":N,
 * "previousSizeBytes":N}], "moreChanges":N}}; {@code changes} lists the changes the tree shows,
 * in tree order (by path component), and {@code moreChanges} counts those it leaves out.
 */
public final class DiffTreeView {
  /** How many tree rows (changes and the directories above them) a view shows. */
  public static final int MAX_ROWS = 200;

  private final List<Row> rows;
  private final int totalChanges;

  /** One line of the tree: a changed path, or an unchanged directory above changed ones. */
  record Row(int depth, String name, boolean directory, FileChange change) {}

  private DiffTreeView(List<Row> rows, int totalChanges) {
    this.rows = rows;
    this.totalChanges = totalChanges;
  }

  /** The tree of {@code diff}, cut after {@link #MAX_ROWS} rows. */
  public static DiffTreeView of(LayerDiff diff) {
    return of(diff, MAX_ROWS);
  }

  static DiffTreeView of(LayerDiff diff, int maxRows) {
    Node root = new Node();
    List<FileChange> all = new ArrayList<>(diff.added());
    all.addAll(diff.modified());
    all.addAll(diff.deleted());
    for (FileChange change : all) {
      Node node = root;
      for (String part : change.path().split("/")) {
        node = node.children.computeIfAbsent(part, p -> new Node());
      }
      node.change = change;
    }
    List<Row> rows = new ArrayList<>();
    walk(root, 0, rows, maxRows);
    return new DiffTreeView(rows, all.size());
  }

  /** The changes the tree shows, in tree order. */
  public List<FileChange> shownChanges() {
    return rows.stream().filter(r -> r.change() != null).map(Row::change).toList();
  }

  /** How many changes the cut leaves out. */
  public int moreChanges() {
    return totalChanges - shownChanges().size();
  }

  /** The tree as a table. */
  public String html() {
    Html html = new Html();
    if (rows.isEmpty()) {
      return html.element("div", Styles.MUTED, "no changes").toString();
    }
    html.open("table", Styles.TABLE).open("tbody");
    for (Row row : rows) {
      html.open("tr").open("td", Styles.CELL);
      if (row.change() != null) {
        html.element("span", Styles.changeBadge(row.change().kind()), Styles.changeMark(row.change().kind()));
      }
      html.close("td").element("td", Styles.CELL_RIGHT, size(row.change()));
      String nameStyle = Styles.MONO + ";padding-left:" + (8 + 16 * row.depth()) + "px"
          + (row.change() == null ? ";" + Styles.MUTED : "")
          + (row.change() != null && row.change().kind() == ChangeKind.DELETED ? ";text-decoration:line-through" : "");
      html.element("td", "text-align:left;padding:1px 8px;border-bottom:1px solid " + Styles.LINE + ";" + nameStyle,
          Styles.printable(row.name()) + (row.directory() ? "/" : "") + linkSuffix(row.change()));
      html.close("tr");
    }
    int more = moreChanges();
    if (more > 0) {
      html.open("tr").element("td", Styles.CELL, "").element("td", Styles.CELL, "")
          .element("td", Styles.CELL + ";" + Styles.MUTED, "\u2026 " + more + " more").close("tr");
    }
    return html.close("tbody").close("table").toString();
  }

  /** The tree as plain text, one path per line. */
  public String plain() {
    StringBuilder out = new StringBuilder();
    for (Row row : rows) {
      String mark = row.change() == null ? " " : Styles.changeMark(row.change().kind()).replace("\u2212", "-");
      out.append(mark).append(' ').append(String.format("%10s", row.change() == null ? "" : Texts.bytes(row.change().sizeBytes())))
          .append("  ").append("  ".repeat(row.depth()))
          .append(Styles.clip(row.name() + (row.directory() ? "/" : ""), 100)).append('\n');
    }
    if (moreChanges() > 0) {
      out.append("\u2026 ").append(moreChanges()).append(" more\n");
    }
    return out.toString();
  }

  /** The diff's counts and the shown changes (see the class comment). */
  public static Map<String, Object> json(LayerDiff diff, DiffTreeView tree) {
    List<Object> changes = new ArrayList<>();
    for (FileChange change : tree.shownChanges()) {
      changes.add(Json.object("path", change.path(), "kind", change.kind().name(), "type", change.type().name(),
          "sizeBytes", change.sizeBytes(), "previousSizeBytes", change.previousSizeBytes()));
    }
    return Json.object("added", diff.addedCount(), "modified", diff.modifiedCount(), "deleted", diff.deletedCount(),
        "addedBytes", diff.addedBytes(), "modifiedBytes", diff.modifiedBytes(), "deletedBytes", diff.deletedBytes(),
        "changes", changes, "moreChanges", tree.moreChanges());
  }

  /** The bundle of a diff on its own. */
  public static MimeBundle bundle(LayerDiff diff) {
    DiffTreeView tree = of(diff);
    String summary = counts(diff) + ", " + Texts.bytes(diff.addedBytes()) + " added";
    String html = new Html().open("div", Styles.BOX).element("div", Styles.TITLE, "Layer diff " + summary)
        .raw(tree.html()).close("div").toString();
    return MimeBundle.of(diff + "\n" + tree.plain(), html, json(diff, tree));
  }

  /** {@code +A ~M −R}. */
  static String counts(LayerDiff diff) {
    return "+" + diff.addedCount() + " ~" + diff.modifiedCount() + " \u2212" + diff.deletedCount();
  }

  private static String size(FileChange change) {
    if (change == null) {
      return "";
    }
    if (change.kind() == ChangeKind.MODIFIED && change.previousSizeBytes() != change.sizeBytes()) {
      return Texts.bytes(change.previousSizeBytes()) + " \u2192 " + Texts.bytes(change.sizeBytes());
    }
    return Texts.bytes(change.sizeBytes());
  }

  private static String linkSuffix(FileChange change) {
    return change != null && change.type() == FileType.SYMLINK ? " (symlink)" : "";
  }

  /** Depth-first, children by name; stops adding rows at {@code maxRows}. */
  private static void walk(Node node, int depth, List<Row> rows, int maxRows) {
    for (Map.Entry<String, Node> child : node.children.entrySet()) {
      if (rows.size() >= maxRows) {
        return;
      }
      Node next = child.getValue();
      boolean directory = !next.children.isEmpty()
          || (next.change != null && next.change.type() == FileType.DIRECTORY);
      rows.add(new Row(depth, child.getKey(), directory, next.change));
      walk(next, depth + 1, rows, maxRows);
    }
  }

  /** A path component with the change at it, if any, and the components below it. */
  private static final class Node {
    final TreeMap<String, Node> children = new TreeMap<>();
    FileChange change;
  }
}
