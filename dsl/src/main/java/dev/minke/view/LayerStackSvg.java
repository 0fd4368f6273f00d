package dev.minke.view;

import dev.minke.dsl.Texts;
import java.util.List;

/**
 * Pictures of layer stacks: bars bottom-up, each as wide as its layer is large (a sliver at
 * least), with index, digest, size and command beside it. One stack for an image; two facing
 * stacks for a comparison, with the layers they share drawn in one colour and joined by a band
 * (a blob shared at another height by a dashed line). The picture brings its own light card, so
 * its dark text reads the same on every theme.
 */
public final class LayerStackSvg {
  private static final int PAD = 10;
  private static final int TITLE_HEIGHT = 22;
  private static final int ROW = 22;
  private static final int BAR_HEIGHT = 16;
  private static final int BAR_MAX = 220;
  private static final int LABEL_WIDTH = 330;
  private static final int GAP = 40;
  private static final int LABEL_CHARS = 52;
  private static final String INK = "#24292f";

  static final String SHARED = "#1b998b";
  static final String FIRST = "#218bff";
  static final String SECOND = "#fb8500";
  static final String BASE = "#8c959f";

  /** One layer in a picture, bottom first; {@code fill} is a colour like {@code #218bff}. */
  public record Bar(String label, long sizeBytes, String fill) {}

  /** Bar {@code first} of the left stack and bar {@code second} of the right one are one layer. */
  public record Link(int first, int second, boolean sameChain) {}

  private LayerStackSvg() {}

  /** The colour of a layer in an image's picture, by what the build did with it. */
  static String fillOf(String verdict) {
    return switch (verdict) {
      case "CACHED" -> FIRST;
      case "BUILT" -> SECOND;
      default -> BASE;
    };
  }

  /** One image's stack. */
  public static String single(String title, List<Bar> bars) {
    int width = PAD + BAR_MAX + 8 + LABEL_WIDTH + PAD;
    int height = TITLE_HEIGHT + bars.size() * ROW + PAD;
    long max = largest(bars, List.of());
    StringBuilder svg = start(width, height);
    text(svg, PAD, 15, "start", title, true);
    for (int i = 0; i < bars.size(); i++) {
      int y = barTop(i, bars.size());
      Bar bar = bars.get(i);
      int w = barWidth(bar, max);
      rect(svg, PAD, y, w, bar);
      text(svg, PAD + BAR_MAX + 8, y + 12, "start", labelOf(i, bar), false);
    }
    return svg.append("</svg>").toString();
  }

  /** Two stacks facing each other, bottoms aligned, with the links between shared layers. */
  public static String pair(String firstTitle, List<Bar> first, String secondTitle, List<Bar> second,
      List<Link> links) {
    int rows = Math.max(first.size(), second.size());
    int middleLeft = PAD + LABEL_WIDTH + 8 + BAR_MAX;
    int middleRight = middleLeft + GAP;
    int width = middleRight + BAR_MAX + 8 + LABEL_WIDTH + PAD;
    int height = TITLE_HEIGHT + rows * ROW + PAD;
    long max = largest(first, second);
    StringBuilder svg = start(width, height);
    text(svg, middleLeft, 15, "end", firstTitle, true);
    text(svg, middleRight, 15, "start", secondTitle, true);
    for (Link link : links) {
      int y1 = barTop(link.first(), rows);
      int y2 = barTop(link.second(), rows);
      if (link.sameChain()) {
        svg.append("<polygon points=\"").append(middleLeft).append(',').append(y1).append(' ')
            .append(middleRight).append(',').append(y2).append(' ').append(middleRight).append(',')
            .append(y2 + BAR_HEIGHT).append(' ').append(middleLeft).append(',').append(y1 + BAR_HEIGHT)
            .append("\" fill=\"").append(SHARED).append("\" fill-opacity=\"0.35\"/>");
      } else {
        svg.append("<line x1=\"").append(middleLeft).append("\" y1=\"").append(y1 + BAR_HEIGHT / 2)
            .append("\" x2=\"").append(middleRight).append("\" y2=\"").append(y2 + BAR_HEIGHT / 2)
            .append("\" stroke=\"").append(SHARED).append("\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>");
      }
    }
    for (int i = 0; i < first.size(); i++) {
      int y = barTop(i, rows);
      int w = barWidth(first.get(i), max);
      rect(svg, middleLeft - w, y, w, first.get(i));
      text(svg, middleLeft - BAR_MAX - 8, y + 12, "end", labelOf(i, first.get(i)), false);
    }
    for (int i = 0; i < second.size(); i++) {
      int y = barTop(i, rows);
      rect(svg, middleRight, y, barWidth(second.get(i), max), second.get(i));
      text(svg, middleRight + BAR_MAX + 8, y + 12, "start", labelOf(i, second.get(i)), false);
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder start(int width, int height) {
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" style=\"max-width:100%;height:auto\" font-family=\"monospace\" font-size=\"11\">");
    svg.append("<rect x=\"0.5\" y=\"0.5\" width=\"").append(width - 1).append("\" height=\"").append(height - 1)
        .append("\" rx=\"4\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>");
    return svg;
  }

  /** The top of bar {@code index} (0 = bottom) in a picture {@code rows} bars high. */
  private static int barTop(int index, int rows) {
    return TITLE_HEIGHT + (rows - 1 - index) * ROW + (ROW - BAR_HEIGHT) / 2;
  }

  private static int barWidth(Bar bar, long max) {
    return (int) Math.max(2, Math.round((double) bar.sizeBytes() / max * BAR_MAX));
  }

  private static long largest(List<Bar> first, List<Bar> second) {
    long max = 1;
    for (Bar bar : first) {
      max = Math.max(max, bar.sizeBytes());
    }
    for (Bar bar : second) {
      max = Math.max(max, bar.sizeBytes());
    }
    return max;
  }

  private static String labelOf(int index, Bar bar) {
    return Styles.clip("#" + index + " " + Texts.bytes(bar.sizeBytes()) + " " + bar.label(), LABEL_CHARS);
  }

  private static void rect(StringBuilder svg, int x, int y, int width, Bar bar) {
    svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(width)
        .append("\" height=\"").append(BAR_HEIGHT).append("\" rx=\"2\" fill=\"").append(Html.escape(bar.fill()))
        .append("\"><title>").append(Html.escape(Styles.printable(bar.label()))).append("</title></rect>");
  }

  private static void text(StringBuilder svg, int x, int y, String anchor, String text, boolean bold) {
    svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
        .append("\" fill=\"").append(INK).append('"').append(bold ? " font-weight=\"bold\"" : "").append('>')
        .append(Html.escape(text)).append("</text>");
  }
}
