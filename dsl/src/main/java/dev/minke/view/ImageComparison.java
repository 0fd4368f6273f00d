package dev.minke.view;

import dev.minke.dsl.Image;
import dev.minke.dsl.Layer;
import dev.minke.dsl.Texts;
import dev.minke.image.Digest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two images side by side: the layers they share and the disk that sharing saves.
 *
 * <p>Layer {@code i} of both is SHARED when their chain IDs match (the same layer on the same
 * layers below, so the store keeps its blob and its unpacked snapshot once); that is always a
 * common bottom run. A layer with the same diff ID elsewhere in the other image has the same
 * files but not the same snapshot: its sharing is CONTENT. The rest is OWN. {@code savedBytes}
 * counts the compressed blobs both images use once (by digest): what storing them separately
 * would cost more.
 *
 * <p>JSON: {@code {"sharedLayers":N, "sharedBytes":N, "savedBytes":N, "separateBytes":N,
 * "storedBytes":N, "first":IMAGE, "second":IMAGE}} where IMAGE is {@code {"reference":…|null,
 * "digest":"sha256:…", "sizeBytes":N, "layerCount":N, "ownLayers":N, "ownBytes":N,
 * "layers":[{"index":0, "digest":…, "diffId":…, "createdBy":…, "sizeBytes":N,
 * "sharing":"SHARED"|"CONTENT"|"OWN", "otherIndex":N|null}]}}, layers bottom first.
 */
public final class ImageComparison {
  private final Image first;
  private final Image second;
  private final int sharedLayers;
  private final long savedBytes;

  private ImageComparison(Image first, Image second) {
    this.first = first;
    this.second = second;
    List<Digest> firstChain = first.config().rootfs().chainIds();
    List<Digest> secondChain = second.config().rootfs().chainIds();
    int shared = 0;
    while (shared < firstChain.size() && shared < secondChain.size()
        && firstChain.get(shared).equals(secondChain.get(shared))) {
      shared++;
    }
    this.sharedLayers = shared;
    Set<Digest> secondBlobs = new HashSet<>();
    second.manifest().layers().forEach(l -> secondBlobs.add(l.digest()));
    Set<Digest> counted = new HashSet<>();
    long saved = 0;
    for (var blob : first.manifest().layers()) {
      if (secondBlobs.contains(blob.digest()) && counted.add(blob.digest())) {
        saved += blob.size();
      }
    }
    this.savedBytes = saved;
  }

  /** Compares two images' layers. */
  public static ImageComparison of(Image first, Image second) {
    return new ImageComparison(first, second);
  }

  public Image first() {
    return first;
  }

  public Image second() {
    return second;
  }

  /** How many bottom layers the two have in common (same chain ID). */
  public int sharedLayers() {
    return sharedLayers;
  }

  /** The compressed size of the shared bottom layers. */
  public long sharedBytes() {
    long total = 0;
    for (int i = 0; i < sharedLayers; i++) {
      total += first.manifest().layers().get(i).size();
    }
    return total;
  }

  /** The compressed bytes stored once instead of twice: blobs both images use. */
  public long savedBytes() {
    return savedBytes;
  }

  /** What the two need in the store together. */
  public long storedBytes() {
    return first.compressedSizeBytes() + second.compressedSizeBytes() - savedBytes;
  }

  /** How layer {@code index} of {@code image} (one of the two) relates to the other image. */
  String sharing(Image image, int index) {
    if (index < sharedLayers) {
      return "SHARED";
    }
    return otherIndex(image, index) >= 0 ? "CONTENT" : "OWN";
  }

  /** The other image's layer with the same diff ID, -1 if none. */
  int otherIndex(Image image, int index) {
    Image other = image == first ? second : first;
    if (index < sharedLayers) {
      return index;
    }
    Digest diffId = image.config().rootfs().diffIds().get(index);
    return other.config().rootfs().diffIds().indexOf(diffId);
  }

  public MimeBundle bundle() {
    String svg = svg();
    return MimeBundle.of(plain(), html(svg), json()).with(MimeBundle.SVG, svg);
  }

  /** Both stacks facing each other; shared layers in one colour, joined. */
  String svg() {
    List<LayerStackSvg.Link> links = new ArrayList<>();
    for (int i = 0; i < first.manifest().layers().size(); i++) {
      int other = otherIndex(first, i);
      if (other >= 0) {
        links.add(new LayerStackSvg.Link(i, other, i < sharedLayers));
      }
    }
    return LayerStackSvg.pair(ImageView.name(first), bars(first, LayerStackSvg.FIRST),
        ImageView.name(second), bars(second, LayerStackSvg.SECOND), links);
  }

  private List<LayerStackSvg.Bar> bars(Image image, String ownFill) {
    List<LayerStackSvg.Bar> bars = new ArrayList<>();
    for (Layer layer : image.layers()) {
      String fill = layer.index() < sharedLayers ? LayerStackSvg.SHARED : ownFill;
      bars.add(new LayerStackSvg.Bar(layer.digest().shortHex() + " " + layer.createdBy(), layer.compressedSizeBytes(),
          fill));
    }
    return bars;
  }

  private String html(String svg) {
    Html html = new Html().open("div", "line-height:1.4");
    html.open("div", Styles.BOX)
        .element("div", Styles.TITLE + ";font-size:110%", ImageView.name(first) + " vs " + ImageView.name(second))
        .element("div", "", summary()).close("div");
    html.open("div", "margin:4px 0").raw(svg).close("div");
    html.open("table", Styles.TABLE).open("thead").open("tr").element("th", Styles.HEAD, "#")
        .element("th", Styles.HEAD, ImageView.name(first)).element("th", Styles.HEAD, "")
        .element("th", Styles.HEAD, ImageView.name(second)).element("th", Styles.HEAD, "")
        .close("tr").close("thead").open("tbody");
    int rows = Math.max(first.layers().size(), second.layers().size());
    for (int i = rows - 1; i >= 0; i--) {
      html.open("tr").element("td", Styles.CELL_RIGHT, Integer.toString(i));
      cells(html, first, i);
      cells(html, second, i);
      html.close("tr");
    }
    return html.close("tbody").close("table").close("div").toString();
  }

  private void cells(Html html, Image image, int index) {
    if (index >= image.manifest().layers().size()) {
      html.element("td", Styles.CELL, "").element("td", Styles.CELL, "");
      return;
    }
    Layer layer = image.layer(index);
    String sharing = sharing(image, index);
    String badge = switch (sharing) {
      case "SHARED" -> Styles.badge("#d3f5ef", "#0b5d52");
      case "CONTENT" -> Styles.badge("#eaeef2", "#0b5d52");
      default -> image == first ? Styles.badge("#ddf4ff", "#0550ae") : Styles.badge("#fff1e5", "#953800");
    };
    html.open("td", Styles.CELL).element("span", badge, sharing).close("td")
        .open("td", Styles.CELL).element("span", Styles.MONO, layer.digest().shortHex() + " ")
        .text(Texts.bytes(layer.compressedSizeBytes()) + " ")
        .element("span", Styles.MONO + ";" + Styles.MUTED, Styles.clip(layer.createdBy(), 60)).close("td");
  }

  private String summary() {
    return sharedLayers + (sharedLayers == 1 ? " shared layer (" : " shared layers (") + Texts.bytes(sharedBytes())
        + "), own " + ownLayers(first) + " / " + ownLayers(second) + " layers ("
        + Texts.bytes(ownBytes(first)) + " / " + Texts.bytes(ownBytes(second)) + "); sharing saves "
        + Texts.bytes(savedBytes) + ": " + Texts.bytes(storedBytes()) + " stored instead of "
        + Texts.bytes(first.compressedSizeBytes() + second.compressedSizeBytes());
  }

  private int ownLayers(Image image) {
    return image.manifest().layers().size() - sharedLayers;
  }

  private long ownBytes(Image image) {
    return image.compressedSizeBytes() - sharedBytes();
  }

  private String plain() {
    StringBuilder out = new StringBuilder(toString()).append('\n');
    List<List<String>> rows = new ArrayList<>();
    int count = Math.max(first.layers().size(), second.layers().size());
    for (int i = count - 1; i >= 0; i--) {
      rows.add(List.of(Integer.toString(i), cell(first, i), cell(second, i)));
    }
    return out.append(Texts.table(List.of("#", ImageView.name(first), ImageView.name(second)), rows)).toString();
  }

  private String cell(Image image, int index) {
    if (index >= image.manifest().layers().size()) {
      return "";
    }
    Layer layer = image.layer(index);
    return sharing(image, index) + " " + layer.digest().shortHex() + " " + Texts.bytes(layer.compressedSizeBytes());
  }

  private Map<String, Object> json() {
    return Json.object("sharedLayers", sharedLayers, "sharedBytes", sharedBytes(), "savedBytes", savedBytes,
        "separateBytes", first.compressedSizeBytes() + second.compressedSizeBytes(), "storedBytes", storedBytes(),
        "first", json(first), "second", json(second));
  }

  private Map<String, Object> json(Image image) {
    List<Object> layers = new ArrayList<>();
    for (Layer layer : image.layers()) {
      int other = otherIndex(image, layer.index());
      layers.add(Json.object("index", layer.index(), "digest", layer.digest().toString(),
          "diffId", layer.diffId().toString(), "createdBy", layer.createdBy(), "sizeBytes", layer.compressedSizeBytes(),
          "sharing", sharing(image, layer.index()), "otherIndex", other >= 0 ? other : null));
    }
    return Json.object("reference", image.reference().map(r -> r.familiar()).orElse(null),
        "digest", image.digest().toString(), "sizeBytes", image.compressedSizeBytes(),
        "layerCount", image.manifest().layers().size(), "ownLayers", ownLayers(image), "ownBytes", ownBytes(image),
        "layers", layers);
  }

  @Override
  public String toString() {
    return "ImageComparison[" + ImageView.name(first) + " vs " + ImageView.name(second) + ": " + summary() + "]";
  }
}
