package dev.minke.view;

/** A done/total bar: nested {@code <div>}s with inline widths in HTML, {@code [####----]} in text. */
final class ProgressBar {
  static final int TEXT_WIDTH = 20;

  private ProgressBar() {}

  /** Whole percent done, 0 when nothing is known yet. */
  static int percent(int done, int total) {
    return total <= 0 ? 0 : Math.min(100, done * 100 / total);
  }

  static String html(int done, int total, String colour) {
    return new Html().open("div", "display:flex;align-items:center;margin:4px 0")
        .open("div", "width:240px;height:10px;border:1px solid rgba(128,128,128,0.6);border-radius:3px;"
            + "overflow:hidden;background:rgba(128,128,128,0.15)")
        .open("div", "width:" + percent(done, total) + "%;height:100%;background:" + colour).close("div")
        .close("div")
        .element("div", "margin-left:8px;font-size:12px", done + "/" + total + " steps")
        .close("div").toString();
  }

  static String text(int done, int total) {
    int filled = total <= 0 ? 0 : Math.min(TEXT_WIDTH, done * TEXT_WIDTH / total);
    return "[" + "#".repeat(filled) + "-".repeat(TEXT_WIDTH - filled) + "] " + done + "/" + total + " steps";
  }
}
