package dev.minke.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order of entries in a Minke layer: component by component, parents before children, and
 * within one directory the opaque marker, then whiteouts, then the rest, each by UTF-8 bytes.
 *
 * <p>Comparing whole paths as bytes would put {@code a-b} between {@code a} and {@code a/b}
 * ('-' sorts before '/'), scattering a directory's children; comparing components keeps each
 * directory contiguous. Whiteouts go first because image-spec layer.md says they SHOULD come
 * before their siblings, and the opaque marker first of all because it applies before them.
 */
final class LayerEntryOrder {
  private static final byte[] OPAQUE = LayerEntry.OPAQUE_WHITEOUT.getBytes(StandardCharsets.UTF_8);
  private static final byte[] WHITEOUT = LayerEntry.WHITEOUT_PREFIX.getBytes(StandardCharsets.UTF_8);

  private LayerEntryOrder() {}

  /** Returns the entries sorted; rejects two entries with the same path. */
  static List<LayerEntry> sort(List<LayerEntry> entries) {
    List<LayerEntry> sorted = sortBy(entries, LayerEntry::path);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i - 1).path().equals(sorted.get(i).path())) {
        // image-spec layer.md: a layer tar must not hold the same path twice.
        throw new IllegalArgumentException("duplicate layer entry path " + sorted.get(i).path());
      }
    }
    return sorted;
  }

  /** Returns {@code items} sorted by the layer order of their paths; each key is built once. */
  static <T> List<T> sortBy(List<T> items, Function<T, String> path) {
    List<Keyed<T>> keyed = new ArrayList<>(items.size());
    for (T item : items) {
      keyed.add(new Keyed<>(key(path.apply(item)), item));
    }
    keyed.sort((a, b) -> compareKeys(a.key, b.key));
    List<T> sorted = new ArrayList<>(keyed.size());
    for (Keyed<T> k : keyed) {
      sorted.add(k.item);
    }
    return sorted;
  }

  /** A comparator over slash-separated paths with the same rules. */
  static Comparator<String> paths() {
    return (a, b) -> compareKeys(key(a), key(b));
  }

  private record Keyed<T>(byte[][] key, T item) {}

  private static byte[][] key(String path) {
    String[] parts = path.split("/");
    byte[][] key = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      key[i] = parts[i].getBytes(StandardCharsets.UTF_8);
    }
    return key;
  }

  private static int compareKeys(byte[][] a, byte[][] b) {
    int common = Math.min(a.length, b.length);
    for (int i = 0; i < common; i++) {
      int c = compareNames(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static int compareNames(byte[] a, byte[] b) {
    int rank = Integer.compare(rank(a), rank(b));
    return rank != 0 ? rank : Arrays.compareUnsigned(a, b);
  }

  private static int rank(byte[] name) {
    if (Arrays.equals(name, OPAQUE)) {
      return 0;
    }
    boolean whiteout =
        name.length > WHITEOUT.length
            && Arrays.equals(name, 0, WHITEOUT.length, WHITEOUT, 0, WHITEOUT.length);
    return whiteout ? 1 : 2;
  }
}
