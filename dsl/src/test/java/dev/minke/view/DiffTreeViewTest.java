package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.ChangeKind;
import dev.minke.image.FileChange;
import dev.minke.image.FileType;
import dev.minke.image.LayerDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The file tree of a diff: order, marks, escaping and the cut. */
class DiffTreeViewTest {
  private static final String HOSTILE = "<img src=x onerror=alert(1)>";

  private static FileChange file(String path, ChangeKind kind, long size) {
    return new FileChange(path, kind, size, kind == ChangeKind.ADDED ? 0 : size, FileType.FILE);
  }

  @Test
  void rows_putChangesUnderTheirParentDirectories_inNameOrder() {
    LayerDiff diff = new LayerDiff(List.of(file("app/b.txt", ChangeKind.ADDED, 3), file("app/a-b", ChangeKind.ADDED, 1)),
        List.of(file("etc/passwd", ChangeKind.MODIFIED, 10)), List.of(file("app/old", ChangeKind.DELETED, 7)));
    DiffTreeView tree = DiffTreeView.of(diff);
    assertEquals(List.of("app/a-b", "app/b.txt", "app/old", "etc/passwd"),
        tree.shownChanges().stream().map(FileChange::path).toList());
    String plain = tree.plain();
    assertTrue(plain.contains("  app/\n"), plain);
    assertTrue(plain.contains("+ ") && plain.contains("~ ") && plain.contains("- "), plain);
    Views.parse(tree.html());
  }

  @Test
  void html_escapesHostileFileNames() {
    LayerDiff diff = new LayerDiff(List.of(file("app/" + HOSTILE, ChangeKind.ADDED, 1),
        file("app/a\u0001b\"'&", ChangeKind.ADDED, 1)), List.of(), List.of());
    MimeBundle bundle = DiffTreeView.bundle(diff);
    Views.assertStatic(bundle);
    assertFalse(bundle.html().contains("<img"), bundle.html());
    assertTrue(bundle.html().contains("&lt;img src=x onerror=alert(1)&gt;"), bundle.html());
    assertTrue(bundle.html().contains("a\uFFFDb&quot;&#39;&amp;"), bundle.html());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> changes = (List<Map<String, Object>>) Views.roundTrip(bundle).get("changes");
    assertEquals("app/" + HOSTILE, changes.get(0).get("path"));
  }

  @Test
  void manyChanges_areCutWithNMore() {
    List<FileChange> added = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      added.add(file(String.format("data/f%03d", i), ChangeKind.ADDED, i));
    }
    LayerDiff diff = new LayerDiff(added, List.of(), List.of());
    DiffTreeView tree = DiffTreeView.of(diff);
    // One row for data/, then 199 files.
    assertEquals(199, tree.shownChanges().size());
    assertEquals(51, tree.moreChanges());
    MimeBundle bundle = DiffTreeView.bundle(diff);
    assertTrue(bundle.html().contains("\u2026 51 more"), bundle.html());
    assertTrue(bundle.plain().contains("\u2026 51 more"), bundle.plain());
    Map<String, Object> json = Views.roundTrip(bundle);
    assertEquals(250, json.get("added"));
    assertEquals(51, json.get("moreChanges"));
    assertEquals(199, ((List<?>) json.get("changes")).size());
  }

  @Test
  void emptyDiff_saysNoChanges() {
    MimeBundle bundle = DiffTreeView.bundle(new LayerDiff(List.of(), List.of(), List.of()));
    Views.assertStatic(bundle);
    assertTrue(bundle.html().contains("no changes"));
  }
}
