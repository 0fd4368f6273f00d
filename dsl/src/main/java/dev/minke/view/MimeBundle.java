package dev.minke.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One value shown several ways, keyed by MIME type: {@code text/plain} always, usually {@code
 * text/html} and {@code application/json}, sometimes {@code image/svg+xml}. Kernel-neutral: any
 * notebook front end (Minke's kernel, IJava, JJava, Kotlin) can publish the map as a Jupyter
 * display bundle. JSON values are plain {@code Map}/{@code List}/{@code String}/{@code Number}/
 * {@code Boolean} trees with a fixed key order, so the same value always serializes the same.
 */
public record MimeBundle(Map<String, Object> data) {
  public static final String TEXT_PLAIN = "text/plain";
  public static final String TEXT_HTML = "text/html";
  public static final String JSON = "application/json";
  public static final String SVG = "image/svg+xml";

  public MimeBundle {
    if (!(data.get(TEXT_PLAIN) instanceof String)) {
      throw new IllegalArgumentException("a MIME bundle needs a text/plain string, got " + data.keySet());
    }
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /** A bundle of the three usual views of a value. */
  public static MimeBundle of(String plain, String html, Map<String, Object> json) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(TEXT_PLAIN, plain);
    data.put(TEXT_HTML, html);
    data.put(JSON, json);
    return new MimeBundle(data);
  }

  /** The same bundle with one more representation. */
  public MimeBundle with(String mimeType, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(data);
    more.put(mimeType, value);
    return new MimeBundle(more);
  }

  public String plain() {
    return (String) data.get(TEXT_PLAIN);
  }

  public String html() {
    return (String) data.get(TEXT_HTML);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> json() {
    return (Map<String, Object>) data.get(JSON);
  }
}
