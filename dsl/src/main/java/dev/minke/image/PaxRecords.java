package dev.minke.image;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses PAX extended-header records ({@code "<len> <key>=<value>\n"}) keeping values raw. */
final class PaxRecords {
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  private PaxRecords() {}

  /** The {@code SCHILY.xattr.*} records, by xattr name; malformed input ends the parse. */
  static Map<String, byte[]> xattrs(byte[] data) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = indexOf(data, (byte) ' ', pos, data.length);
      if (space < 0) {
        break;
      }
      int length = parseLength(data, pos, space);
      int end = pos + length;
      if (length <= 0 || end > data.length || data[end - 1] != '\n') {
        break;
      }
      int equals = indexOf(data, (byte) '=', space + 1, end);
      if (equals < 0) {
        break;
      }
      String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      if (key.startsWith(XATTR_PREFIX) && key.length() > XATTR_PREFIX.length()) {
        byte[] value = new byte[end - 1 - (equals + 1)];
        System.arraycopy(data, equals + 1, value, 0, value.length);
        out.put(key.substring(XATTR_PREFIX.length()), value);
      }
      pos = end;
    }
    return out;
  }

  private static int parseLength(byte[] data, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      if (data[i] < '0' || data[i] > '9' || n > Integer.MAX_VALUE / 10) {
        return -1;
      }
      n = n * 10 + (data[i] - '0');
    }
    return n > Integer.MAX_VALUE ? -1 : (int) n;
  }

  private static int indexOf(byte[] data, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
