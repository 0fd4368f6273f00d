package dev.minke.view;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the plain JSON trees of views: objects keep the order their keys are given in. */
final class Json {
  private Json() {}

  /** An object of alternating keys and values, e.g. {@code object("index", 0, "digest", d)}. */
  static Map<String, Object> object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs, got " + keysAndValues.length);
    }
    Map<String, Object> object = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      object.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return object;
  }
}
