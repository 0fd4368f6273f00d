package dev.minke.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import java.util.ArrayList;
import java.util.List;

/** Reads the distribution-spec error body: {@code {"errors":[{"code":…,"message":…}]}}. */
final class RegistryErrors {
  /** At most this much of an error body is read: it is for people, not for data. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private RegistryErrors() {}

  record Diagnostic(String code, String message) {}

  static List<Diagnostic> parse(byte[] body) {
    List<Diagnostic> result = new ArrayList<>();
    if (body == null || body.length == 0) {
      return result;
    }
    try {
      JsonNode errors = Json.mapper().readTree(body).path("errors");
      for (JsonNode error : errors) {
        result.add(new Diagnostic(error.path("code").asText(""), error.path("message").asText("")));
      }
    } catch (java.io.IOException | RuntimeException notJson) {
      // A proxy's HTML page or plain text: the status alone must do.
    }
    return result;
  }

  static String describe(List<Diagnostic> errors) {
    return String.join("; ", errors.stream()
        .map(e -> e.message().isEmpty() ? e.code() : e.code() + " (" + e.message() + ")").toList());
  }
}
