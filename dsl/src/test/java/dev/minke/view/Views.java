package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** Checks every view must pass: well-formed markup, nothing active, JSON that survives Jackson. */
final class Views {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Views() {}

  /** Parses markup as XML inside a root element; fails on anything an XML parser rejects. */
  static Document parse(String markup) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      var builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new ByteArrayInputStream(("<root>" + markup + "</root>").getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("not well-formed: " + e.getMessage() + "\n" + markup, e);
    }
  }

  /** The bundle's HTML and SVG parse, hold no script, style block, class or external resource. */
  static void assertStatic(MimeBundle bundle) {
    for (String type : new String[] {MimeBundle.TEXT_HTML, MimeBundle.SVG}) {
      Object markup = bundle.data().get(type);
      if (markup == null) {
        continue;
      }
      String text = (String) markup;
      parse(text);
      String lower = text.toLowerCase();
      for (String banned : new String[] {"<script", "<style", " class=", "href=", "src=\"", "javascript:", "<link"}) {
        assertFalse(lower.contains(banned), type + " contains " + banned);
      }
    }
  }

  /** The JSON writes, reads back and writes again to the same text. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> roundTrip(MimeBundle bundle) {
    try {
      String written = MAPPER.writeValueAsString(bundle.json());
      Map<String, Object> read = MAPPER.readValue(written, Map.class);
      assertEquals(written, MAPPER.writeValueAsString(read));
      return read;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
