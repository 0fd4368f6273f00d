package dev.minke.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tallies, layer by layer, the per-path sizes that {@link Efficiency} is computed from. */
final class EfficiencyCounter {
  private final Map<String, Tally> tallies = new HashMap<>();
  private long userSizeBytes;
  private int layerCount;

  /** Counts the leaves of {@code layer}; {@code below} is the union of the layers under it. */
  void add(FileTree below, LayerListing layer) {
    Set<String> parents = parentsIn(layer);
    for (FileInfo info : layer.entries().values()) {
      if (!parents.contains(info.path())) {
        count(info.path(), info.sizeBytes());
      }
    }
    for (String dir : layer.opaqueDirs()) {
      // dive drops the marker but keeps its directory as a node, sized 0 unless an entry says so.
      if (!dir.isEmpty() && !parents.contains(dir) && !layer.entries().containsKey(dir)) {
        count(dir, 0);
      }
    }
    for (String path : layer.whiteouts()) {
      Long removedBytes = whiteoutBytes(below, path);
      if (removedBytes != null) {
        count(path, removedBytes);
      }
    }
    if (layerCount++ > 0) {
      userSizeBytes += layer.sizeBytes(); // dive's "user size" leaves out the base layer
    }
  }

  /** The efficiency of everything added so far. */
  Efficiency result() {
    long minimumBytes = 0;
    long cumulativeBytes = 0;
    long wastedBytes = 0;
    List<Inefficiency> inefficiencies = new ArrayList<>();
    for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
      Tally tally = entry.getValue();
      minimumBytes += tally.minimumBytes;
      cumulativeBytes += tally.cumulativeBytes;
      if (tally.count >= 2) {
        wastedBytes += tally.cumulativeBytes;
        inefficiencies.add(new Inefficiency(entry.getKey(), tally.count, tally.cumulativeBytes));
      }
    }
    inefficiencies.sort(
        Comparator.comparingLong(Inefficiency::cumulativeBytes)
            .reversed()
            .thenComparing(Inefficiency::path));
    double score = cumulativeBytes == 0 ? 1.0 : (double) minimumBytes / cumulativeBytes;
    double userWasted = userSizeBytes == 0 ? 0.0 : (double) wastedBytes / userSizeBytes;
    return new Efficiency(score, wastedBytes, userWasted, inefficiencies);
  }

  /**
   * What dive counts for a whiteout of {@code path}: a directory below counts with itself and
   * everything under it; a file, or a directory only implied by deeper paths, counts 0; a path
   * that does not exist below is not counted (dive fails on it and stops counting that layer;
   * Minke skips just the whiteout).
   */
  private static Long whiteoutBytes(FileTree below, String path) {
    FileInfo removed = below.get(path).orElse(null);
    if (removed == null) {
      return below.descendants(path).isEmpty() ? null : 0L;
    }
    if (!removed.isDirectory()) {
      return 0L;
    }
    long total = removed.sizeBytes();
    for (FileInfo info : below.descendants(path).values()) {
      total += info.sizeBytes();
    }
    return total;
  }

  /** Paths that have a child in this layer's own tree, and so are not leaves. */
  private static Set<String> parentsIn(LayerListing layer) {
    Set<String> parents = new HashSet<>();
    for (String path : layer.entries().keySet()) {
      parents.addAll(TarPaths.ancestors(path));
    }
    for (String path : layer.whiteouts()) {
      parents.addAll(TarPaths.ancestors(path)); // the .wh. entry is a child of the same parent
    }
    for (String dir : layer.opaqueDirs()) {
      parents.addAll(TarPaths.ancestors(dir));
    }
    return parents;
  }

  private void count(String path, long sizeBytes) {
    Tally tally = tallies.computeIfAbsent(path, p -> new Tally());
    tally.cumulativeBytes += sizeBytes;
    tally.minimumBytes = tally.count == 0 ? sizeBytes : Math.min(tally.minimumBytes, sizeBytes);
    tally.count++;
  }

  /** Running numbers for one path. */
  private static final class Tally {
    long cumulativeBytes;
    long minimumBytes;
    int count;
  }
}
