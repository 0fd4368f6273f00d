package dev.minke.build.cache;

import dev.minke.store.BuildCacheIndex.BaseRecord;
import dev.minke.store.CacheRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Says why a step missed the cache, by comparing its inputs with the entries built under the
 * same parent before: the closest one of the same kind, and in it the first input that differs,
 * most telling first (the command before the environment, build args before their expansion).
 *
 * <p>Input names: {@code text} and {@code command} (as written), {@code shell}, {@code
 * arg:NAME} (build args the step reads), {@code expanded} (the text with args substituted),
 * {@code env:NAME}, {@code workdir}, {@code user}, {@code network}, {@code file:PATH} (copied
 * files: content digest, mode, owner), {@code argv}.
 */
public final class MissReasons {
  private static final List<String> PRIORITY = List.of(
      "text", "command", "shell", "arg:", "expanded", "env:", "workdir", "user", "network", "file:", "argv");

  private MissReasons() {}

  /**
   * Why a step with these inputs is not under its parent: {@code label} starts the reason
   * ({@code RUN}, {@code COPY src/ /app}); {@code siblings} are the entries under the parent.
   * Empty when there are none to compare with (then the parent itself is new).
   */
  public static Optional<String> explain(String label, String kind, SortedMap<String, String> inputs,
      List<CacheRecord> siblings) {
    if (siblings.isEmpty()) {
      return Optional.empty();
    }
    Optional<CacheRecord> closest = siblings.stream().filter(s -> s.kind().equals(kind))
        .min(Comparator.comparingInt((CacheRecord s) -> differences(inputs, s.inputs()))
            .thenComparing(Comparator.comparingLong(CacheRecord::recordedAtMillis).reversed()));
    if (closest.isEmpty()) {
      CacheRecord latest = siblings.stream().max(Comparator.comparingLong(CacheRecord::recordedAtMillis)).get();
      return Optional.of(label + ": step changed (this point had " + latest.text() + ")");
    }
    return Optional.of(label + ": " + firstDifference(kind, inputs, closest.get().inputs()));
  }

  /** Why the first step missed when nothing was built on this base with these options yet. */
  public static String baseReason(BaseRecord now, Optional<BaseRecord> before) {
    if (before.isPresent()) {
      BaseRecord was = before.get();
      if (!Objects.equals(was.manifestDigest(), now.manifestDigest())) {
        return "base image changed (" + now.reference() + " now "
            + (now.manifestDigest() == null ? "empty" : "sha256:" + now.manifestDigest().shortHex()) + ")";
      }
      if (was.sourceDateEpochSeconds() != now.sourceDateEpochSeconds()) {
        return "SOURCE_DATE_EPOCH changed (was " + was.sourceDateEpochSeconds() + ", now "
            + now.sourceDateEpochSeconds() + ")";
      }
      if (!Objects.equals(was.compression(), now.compression())) {
        return "layer compression changed (was " + was.compression() + ", now " + now.compression() + ")";
      }
    }
    return "not in the cache (first build of this step)";
  }

  private static int differences(SortedMap<String, String> a, SortedMap<String, String> b) {
    TreeSet<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    return (int) names.stream().filter(n -> !Objects.equals(a.get(n), b.get(n))).count();
  }

  private static String firstDifference(String kind, SortedMap<String, String> now, SortedMap<String, String> was) {
    TreeSet<String> names = new TreeSet<>(now.keySet());
    names.addAll(was.keySet());
    for (String prefix : PRIORITY) {
      for (String name : names) {
        boolean matches = prefix.endsWith(":") ? name.startsWith(prefix) : name.equals(prefix);
        if (matches && !Objects.equals(now.get(name), was.get(name))) {
          return describe(kind, name, was.get(name), now.get(name));
        }
      }
    }
    for (String name : names) {
      if (!Objects.equals(now.get(name), was.get(name))) {
        return describe(kind, name, was.get(name), now.get(name));
      }
    }
    return "not in the cache (an entry with the same inputs is missing)";
  }

  private static String describe(String kind, String name, String was, String now) {
    if (name.equals("text") || name.equals("command") || name.equals("expanded")) {
      return kind.equals("RUN") ? "command changed" : "instruction changed (was " + quote(was) + ")";
    }
    if (name.startsWith("arg:")) {
      return "build arg " + name.substring(4) + " changed";
    }
    if (name.startsWith("env:")) {
      return "env " + name.substring(4) + " changed";
    }
    if (name.startsWith("file:")) {
      String path = name.substring(5);
      if (was == null) {
        return path + " added";
      }
      if (now == null) {
        return path + " removed";
      }
      String[] a = was.split(" ");
      String[] b = now.split(" ");
      if (!a[0].equals(b[0])) {
        return path + " changed (" + shortDigest(b[0]) + ")";
      }
      return path + " changed (" + String.join(" ", a).substring(a[0].length()).trim() + " -> "
          + String.join(" ", b).substring(b[0].length()).trim() + ")";
    }
    if (name.equals("shell")) {
      return "SHELL changed (was " + was + ")";
    }
    return name + " changed (was " + quote(was) + ", now " + quote(now) + ")";
  }

  private static String shortDigest(String value) {
    return value.startsWith("sha256:") && value.length() > 19 ? value.substring(0, 19) + "…" : value;
  }

  private static String quote(String value) {
    return value == null ? "unset" : "\"" + value + "\"";
  }
}
