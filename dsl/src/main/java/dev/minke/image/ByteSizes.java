package dev.minke.image;

import java.util.Locale;

/** Short decimal byte counts ("1.2 MB"), as Docker prints sizes, for text views. */
public final class ByteSizes {
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

  private ByteSizes() {}

  /** Decimal units, as Docker prints sizes (go-units HumanSize). */
  public static String human(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
