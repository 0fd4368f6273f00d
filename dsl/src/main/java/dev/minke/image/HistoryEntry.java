package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One step of an image's history: what made it ({@code created_by}) and whether it added a
 * layer. {@code emptyLayer} is {@code null} rather than {@code false} so that it is left out of
 * the JSON, as Docker does.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryEntry(
    String created,
    String author,
    @JsonProperty("created_by") String createdBy,
    String comment,
    @JsonProperty("empty_layer") Boolean emptyLayer) {

  public static HistoryEntry layer(String created, String createdBy) {
    return new HistoryEntry(created, null, createdBy, null, null);
  }

  public static HistoryEntry config(String created, String createdBy) {
    return new HistoryEntry(created, null, createdBy, null, Boolean.TRUE);
  }

  /** Whether this step added no layer (a config-only step such as ENV). */
  public boolean isEmptyLayer() {
    return Boolean.TRUE.equals(emptyLayer);
  }
}
