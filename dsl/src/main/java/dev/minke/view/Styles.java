package dev.minke.view;

/**
 * The inline styles every view shares. Text colour is inherited, so light and dark themes both
 * work; the only fixed colours are badge backgrounds, each with white text at a contrast above
 * 4.5:1, and translucent greys for borders and shading, which read on either background.
 */
final class Styles {
  static final String ROOT = "font-family:sans-serif;font-size:13px;line-height:1.4";
  static final String TITLE = "font-weight:600;margin:2px 0 4px 0";
  static final String SECTION = "font-weight:600;margin:8px 0 2px 0";
  static final String TABLE = "border-collapse:collapse;margin:2px 0 6px 0";
  static final String TH = "text-align:left;padding:2px 8px;border-bottom:1px solid rgba(128,128,128,0.6);"
      + "font-weight:600;vertical-align:top";
  static final String TD = "text-align:left;padding:2px 8px;border-bottom:1px solid rgba(128,128,128,0.25);"
      + "vertical-align:top";
  static final String CODE = "font-family:monospace";
  static final String PRE = "font-family:monospace;font-size:12px;margin:2px 0 6px 0;padding:6px;"
      + "max-height:400px;overflow:auto;white-space:pre;text-align:left;border:1px solid rgba(128,128,128,0.4);"
      + "border-radius:3px;background:rgba(128,128,128,0.08)";
  static final String SUMMARY = "cursor:pointer;margin:4px 0";
  static final String MUTED = "opacity:0.7";

  static final String GREEN = "#2e7d32";
  static final String BLUE = "#1565c0";
  static final String RED = "#c62828";
  static final String GREY = "#616161";
  static final String AMBER = "#9a5b00";

  private Styles() {}

  /** A small label with white text on {@code background}: a state or a verdict. */
  static String badge(String background) {
    return "display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;font-weight:600;"
        + "color:#ffffff;background:" + background;
  }

  /** {@code <span style=badge>text</span>}, escaped. */
  static String badgeMarkup(String text, String background) {
    return new Html().element("span", badge(background), text).toString();
  }
}
