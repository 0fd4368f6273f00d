package dev.minke.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which fields of a JSON object a record models: plain fields compare whole, nested objects and
 * arrays of objects recurse. Absent, null, "" and empty containers count as the same value
 * (the records leave empties out), except for null-only fields, where [] is a value.
 */
record ModeledFields(
    Set<String> fields, Set<String> nullOnly, Map<String, ModeledFields> objects,
    Map<String, ModeledFields> arrays) {

  static ModeledFields of(String... fields) {
    return new ModeledFields(Set.of(fields), Set.of(), Map.of(), Map.of());
  }

  ModeledFields nullOnly(String... names) {
    return new ModeledFields(fields, Set.of(names), objects, arrays);
  }

  ModeledFields object(String name, ModeledFields shape) {
    Map<String, ModeledFields> more = new LinkedHashMap<>(objects);
    more.put(name, shape);
    return new ModeledFields(fields, nullOnly, more, arrays);
  }

  ModeledFields array(String name, ModeledFields shape) {
    Map<String, ModeledFields> more = new LinkedHashMap<>(arrays);
    more.put(name, shape);
    return new ModeledFields(fields, nullOnly, objects, more);
  }

  void compare(String path, JsonNode original, JsonNode written, List<String> lost) {
    for (String field : fields) {
      if (!same(original.path(field), written.path(field), false)) {
        lost.add(path + "." + field + ": " + original.path(field) + " -> " + written.path(field));
      }
    }
    for (String field : nullOnly) {
      if (!same(original.path(field), written.path(field), true)) {
        lost.add(path + "." + field + ": " + original.path(field) + " -> " + written.path(field));
      }
    }
    objects.forEach((field, shape) -> {
      JsonNode from = original.path(field);
      JsonNode to = written.path(field);
      if (from.isObject() && !from.isEmpty()) {
        shape.compare(path + "." + field, from, to, lost);
      } else if (!same(from, to, false)) {
        lost.add(path + "." + field + ": " + from + " -> " + to);
      }
    });
    arrays.forEach((field, shape) -> {
      JsonNode from = original.path(field);
      JsonNode to = written.path(field);
      if (absent(from, false) && absent(to, false)) {
        return;
      }
      if (from.size() != to.size()) {
        lost.add(path + "." + field + ": " + from.size() + " items -> " + to.size());
        return;
      }
      for (int i = 0; i < from.size(); i++) {
        shape.compare(path + "." + field + "[" + i + "]", from.get(i), to.get(i), lost);
      }
    });
  }

  private static boolean same(JsonNode a, JsonNode b, boolean nullOnly) {
    return a.equals(b) || (absent(a, nullOnly) && absent(b, nullOnly));
  }

  private static boolean absent(JsonNode node, boolean nullOnly) {
    if (node.isMissingNode() || node.isNull()) {
      return true;
    }
    return !nullOnly && (node.isTextual() ? node.textValue().isEmpty() : node.isContainerNode()
        && node.isEmpty());
  }
}
