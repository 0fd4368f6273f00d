package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Checks the rules every view's HTML keeps: well-formed XML with one root element, only the
 * elements and attributes a static notebook output renders everywhere (no scripts, no style
 * sheets, no classes, no links to resources), and the bundle's three views present.
 */
final class Xhtml {
  /** The elements views use; anything else is a mistake worth a look. */
  private static final Set<String> ELEMENTS = Set.of("div", "span", "table", "thead", "tbody", "tr", "th", "td",
      "details", "summary", "pre", "b", "code");
  private static final Set<String> ATTRIBUTES = Set.of("style", "open");

  private Xhtml() {}

  /** Parses the bundle's HTML and checks it; returns the document for more assertions. */
  static Document check(MimeBundle bundle) {
    assertTrue(bundle.data().containsKey(MimeBundle.JSON), "a JSON twin: " + bundle.data().keySet());
    assertTrue(bundle.plain() != null && !bundle.plain().isEmpty(), "a text/plain view");
    return check(bundle.html());
  }

  static Document check(String html) {
    String lower = html.toLowerCase(Locale.ROOT);
    for (String banned : List.of("<script", "<style", "&nbsp;", "javascript:", "url(", "<img", "<link")) {
      assertFalse(lower.contains(banned), "HTML contains " + banned + ": " + html);
    }
    Document doc = parse(html);
    walk(doc.getDocumentElement());
    return doc;
  }

  static Document parse(String html) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    } catch (Exception e) {
      return fail("not well-formed XHTML (" + e.getMessage() + "): " + html);
    }
  }

  private static void walk(Element element) {
    assertTrue(ELEMENTS.contains(element.getTagName()), "unexpected element <" + element.getTagName() + ">");
    NamedNodeMap attributes = element.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      String name = attributes.item(i).getNodeName();
      assertTrue(ATTRIBUTES.contains(name), "unexpected attribute " + name + " on <" + element.getTagName() + ">");
    }
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i).getNodeType() == Node.ELEMENT_NODE) {
        walk((Element) children.item(i));
      }
    }
  }

  /** All text of the document, as a reader sees it (entities decoded). */
  static String text(MimeBundle bundle) {
    return parse(bundle.html()).getDocumentElement().getTextContent();
  }

  /** The evil string every view test feeds in where a user or a program chooses the text. */
  static final String HOSTILE = "<script>alert('x')</script> & \"q\" \u0000\u001b[31mred\u001b[0m </div>";

  /** Asserts the hostile string came through as text, not as markup. */
  static void assertEscaped(MimeBundle bundle) {
    Document doc = check(bundle);
    assertEquals(0, doc.getElementsByTagName("script").getLength(), "no script element");
    assertTrue(text(bundle).contains("<script>alert('x')</script> & \"q\""), "the text is shown as typed");
  }
}
