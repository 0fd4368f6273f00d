package dev.minke.dsl;

import dev.minke.image.ByteSizes;
import dev.minke.image.Efficiency;
import dev.minke.image.FileChange;
import dev.minke.image.Inefficiency;
import dev.minke.image.LayerDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text tables of Minke values for JShell and the CLI. Reads values; never changes them.
 */
public final class Texts {
  /** How many paths of a diff a table shows before "… N more". */
  static final int MAX_DIFF_ROWS = 40;

  private Texts() {}

  /** A byte count for people: {@code 1.1 MB}. */
  public static String bytes(long sizeBytes) {
    return ByteSizes.human(sizeBytes);
  }

  /** Columns padded to their widest cell, two spaces apart. */
  public static String table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(c == row.size() - 1 ? row.get(c) : String.format("%-" + widths[c] + "s  ", row.get(c)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** The image summary, its layers with diff counts, and the efficiency line. */
  static String imageTables(Image image) {
    StringBuilder out = new StringBuilder();
    out.append(image).append('\n');
    out.append("digest ").append(image.digest()).append("  id ").append(image.id().shortHex())
        .append("  platform ").append(image.config().platform()).append('\n');
    List<List<String>> rows = new ArrayList<>();
    for (Layer layer : image.layers()) {
      LayerDiff diff = layer.diff();
      rows.add(List.of(Integer.toString(layer.index()), layer.digest().shortHex(), bytes(layer.compressedSizeBytes()),
          "+" + diff.addedCount() + " ~" + diff.modifiedCount() + " -" + diff.deletedCount(), clip(layer.createdBy(), 60)));
    }
    out.append(table(List.of("LAYER", "DIGEST", "SIZE", "CHANGES", "CREATED BY"), rows));
    Efficiency efficiency = image.efficiency();
    out.append(String.format("efficiency %.1f %%, wasted %s%n", efficiency.score() * 100, bytes(efficiency.wastedBytes())));
    for (Inefficiency waste : efficiency.inefficiencies().stream().limit(10).toList()) {
      out.append(String.format("  %dx %s %s%n", waste.count(), bytes(waste.cumulativeBytes()), waste.path()));
    }
    return out.toString();
  }

  /** {@code docker image history}: newest step first. */
  public static String historyTable(List<HistoryRow> history) {
    List<List<String>> rows = new ArrayList<>();
    for (HistoryRow row : history) {
      rows.add(List.of(row.layerDigest().map(d -> d.shortHex()).orElse("<config>"),
          row.created() == null ? "" : row.created(), row.emptyLayer() ? "0 B" : bytes(row.layerSizeBytes()),
          clip(row.createdBy() == null ? "" : row.createdBy(), 70)));
    }
    return table(List.of("LAYER", "CREATED", "SIZE", "CREATED BY"), rows);
  }

  /** The paths a layer added (+), modified (~) and deleted (-), with sizes. */
  static String diffTable(Layer layer) {
    LayerDiff diff = layer.diff();
    List<FileChange> changes = new ArrayList<>();
    changes.addAll(diff.added());
    changes.addAll(diff.modified());
    changes.addAll(diff.deleted());
    changes.sort(java.util.Comparator.comparing(FileChange::path));
    List<List<String>> rows = new ArrayList<>();
    for (FileChange change : changes.stream().limit(MAX_DIFF_ROWS).toList()) {
      String mark = switch (change.kind()) {
        case ADDED -> "+";
        case MODIFIED -> "~";
        case DELETED -> "-";
      };
      rows.add(List.of(mark, bytes(change.sizeBytes()), "/" + change.path()));
    }
    StringBuilder out = new StringBuilder(layer + "  " + diff + "\n");
    out.append(table(List.of("", "SIZE", "PATH"), rows));
    if (changes.size() > MAX_DIFF_ROWS) {
      out.append("… ").append(changes.size() - MAX_DIFF_ROWS).append(" more\n");
    }
    return out.toString();
  }

  /** A command line cut to {@code docker ps}'s width. */
  public static String clipCommand(String command) {
    return "\"" + clip(command, 20) + "\"";
  }

  static String clip(String text, int max) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }
}
