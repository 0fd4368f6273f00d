package dev.minke.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every hard link point at an entry written before it. Tar readers create a link from a
 * file already extracted, so in a sorted layer the first path of each group of links must be
 * the regular file: when a link sorts before its target, the two swap roles (the file's content
 * and metadata move to the first path). The files the layer describes do not change.
 */
final class HardlinkOrder {
  private HardlinkOrder() {}

  /** {@code sorted} with each link group's first path holding the file; rejects broken links. */
  static List<LayerEntry> normalize(List<LayerEntry> sorted) {
    Map<String, LayerEntry> byPath = new HashMap<>();
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      byPath.put(sorted.get(i).path(), sorted.get(i));
      position.put(sorted.get(i).path(), i);
    }
    Map<String, String> firstOfGroup = new HashMap<>(); // target file path -> first path in order
    for (LayerEntry entry : sorted) {
      if (entry.type() != EntryType.HARDLINK) {
        continue;
      }
      LayerEntry target = byPath.get(entry.linkTarget());
      if (target == null || target.type() != EntryType.FILE) {
        throw new IllegalArgumentException("hard link " + entry.path() + " points to " + entry.linkTarget()
            + ", which is not a regular file of the same layer");
      }
      firstOfGroup.merge(target.path(), entry.path(),
          (a, b) -> position.get(a) < position.get(b) ? a : b);
    }
    List<LayerEntry> result = new ArrayList<>(sorted.size());
    for (LayerEntry entry : sorted) {
      String file = entry.type() == EntryType.HARDLINK ? entry.linkTarget() : entry.path();
      String first = firstOfGroup.get(file);
      if (first == null || position.get(file) < position.get(first)) {
        result.add(entry); // No group, or the file already comes first.
      } else if (entry.path().equals(first)) {
        result.add(byPath.get(file).withPath(first));
      } else {
        LayerEntry fileEntry = byPath.get(file);
        result.add(LayerEntry.hardlink(entry.path(), first)
            .withMode(fileEntry.mode()).withOwner(fileEntry.uid(), fileEntry.gid()));
      }
    }
    return result;
  }
}
