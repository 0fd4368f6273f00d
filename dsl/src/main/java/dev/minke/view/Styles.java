package dev.minke.view;

import dev.minke.image.ChangeKind;
import java.util.Locale;

/**
 * The inline styles views share. Text inherits the theme's colour; anything coloured carries its
 * own background and foreground (badges), so it reads the same on light and dark themes; lines
 * and shading are a translucent grey that shows on both.
 */
final class Styles {
  static final String LINE = "rgba(128,128,128,0.45)";
  static final String BOX = "border:1px solid " + LINE + ";border-radius:4px;padding:6px 8px;margin:4px 0";
  static final String TABLE = "border-collapse:collapse;margin:2px 0";
  static final String CELL = "text-align:left;padding:1px 8px;border-bottom:1px solid " + LINE
      + ";vertical-align:top";
  static final String CELL_RIGHT = "text-align:right;padding:1px 8px;border-bottom:1px solid " + LINE
      + ";vertical-align:top;white-space:nowrap";
  static final String HEAD = "text-align:left;padding:1px 8px;border-bottom:2px solid " + LINE;
  static final String MONO = "font-family:monospace";
  static final String MUTED = "opacity:0.7";
  static final String SUMMARY = "cursor:pointer;padding:2px 0";
  static final String TITLE = "font-weight:bold";
  /** The outer box of the runtime views (containers, volumes, networks, stacks, build progress). */
  static final String ROOT = "font-family:sans-serif;font-size:13px;line-height:1.4";
  static final String SECTION = "font-weight:600;margin:8px 0 2px 0";
  static final String TH = "text-align:left;padding:2px 8px;border-bottom:1px solid rgba(128,128,128,0.6);"
      + "font-weight:600;vertical-align:top";
  static final String TD = "text-align:left;padding:2px 8px;border-bottom:1px solid rgba(128,128,128,0.25);"
      + "vertical-align:top";
  static final String CODE = "font-family:monospace";
  static final String PRE = "font-family:monospace;font-size:12px;margin:2px 0 6px 0;padding:6px;"
      + "max-height:400px;overflow:auto;white-space:pre;text-align:left;border:1px solid rgba(128,128,128,0.4);"
      + "border-radius:3px;background:rgba(128,128,128,0.08)";

  /** Badge backgrounds for white text, each at a contrast above 4.5:1. */
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

  /** A small label with its own colours, readable on any theme. */
  static String badge(String background, String foreground) {
    return "display:inline-block;padding:0 5px;border-radius:3px;font-family:monospace;font-size:90%;"
        + "background:" + background + ";color:" + foreground;
  }

  /** The badge of a verdict word: CACHED, BUILT, BASE, SKIPPED, FAILED, UNKNOWN. */
  static String verdictBadge(String verdict) {
    return switch (verdict) {
      case "CACHED" -> badge("#ddf4ff", "#0550ae");
      case "BUILT" -> badge("#fff1e5", "#953800");
      case "FAILED" -> badge("#ffebe9", "#a40e26");
      default -> badge("#eaeef2", "#424a53");
    };
  }

  /** Green, yellow and red badges for added, modified and deleted paths. */
  static String changeBadge(ChangeKind kind) {
    return switch (kind) {
      case ADDED -> badge("#dafbe1", "#116329");
      case MODIFIED -> badge("#fff8c5", "#7d4e00");
      case DELETED -> badge("#ffebe9", "#a40e26");
    };
  }

  /** The one-character mark of a change kind, as {@code +A ~M −R} counts use. */
  static String changeMark(ChangeKind kind) {
    return switch (kind) {
      case ADDED -> "+";
      case MODIFIED -> "~";
      case DELETED -> "\u2212";
    };
  }

  /** A fraction as a percentage with one decimal: {@code 97.3 %}. */
  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
  }

  /** A text on one line, cut to {@code max} characters with an ellipsis. */
  static String clip(String text, int max) {
    String oneLine = printable(text.replace('\n', ' ').replace('\r', ' '));
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "\u2026";
  }

  /**
   * The text with control characters (other than tab and newline) shown as U+FFFD: a file name
   * may hold any byte but NUL and '/', and XML (SVG, XHTML) may not hold those characters at all.
   */
  static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || c == 0xFFFE || c == 0xFFFF;
      if (control && out == null) {
        out = new StringBuilder(text.substring(0, i));
      }
      if (out != null) {
        out.append(control ? '\uFFFD' : c);
      }
    }
    return out == null ? text : out.toString();
  }
}
