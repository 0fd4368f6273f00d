package dev.minke.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.HistoryEntry;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of the build cache: the result of one build step under one key. {@code key} is a
 * function of {@code parent} and {@code inputs}; {@code kind} and {@code text} say which step it
 * was ({@code RUN}, {@code RUN echo hi}); {@code inputs} are the named values the key was made
 * from, kept so that a later miss can say which one changed. {@code layer} and {@code diffId}
 * are the step's layer (null for a config step) and {@code history} its history entry.
 * {@code recordedAtMillis} is wall-clock time, used only to pick the latest of several entries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CacheRecord(Digest key, Digest parent, String kind, String text, SortedMap<String, String> inputs,
    Descriptor layer, Digest diffId, HistoryEntry history, long recordedAtMillis) {

  public CacheRecord {
    inputs = inputs == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
    if ((layer == null) != (diffId == null)) {
      throw new IllegalArgumentException("a cache record has both a layer and its diffId, or neither");
    }
  }
}
