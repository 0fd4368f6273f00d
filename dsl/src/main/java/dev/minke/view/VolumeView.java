package dev.minke.view;

import dev.minke.runtime.VolumeInfo;
import dev.minke.store.Volume;
import dev.minke.view.Tables.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Volumes as {@code docker volume inspect} and {@code ls} show them, with the containers that
 * mount each. The creation time is in the HTML only.
 *
 * <p>JSON of one volume: <pre>{@code
 * {"name": "shop_data", "anonymous": false, "mountpoint": "/…/volumes/shop_data/_data",
 *  "containers": ["shop-db"], "unused": false}
 * }</pre> (a store {@link Volume} has only {@code name} and {@code anonymous}); of a list:
 * {@code {"volumes": [one per volume]}}.
 */
public final class VolumeView {
  private VolumeView() {}

  public static MimeBundle of(VolumeInfo volume) {
    return MimeBundle.of(volume.toString(), html(List.of(volume)), json(volume));
  }

  public static MimeBundle of(Volume volume) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", volume.name());
    json.put("anonymous", volume.anonymous());
    Html html = new Html().open("div", Styles.ROOT).element("div", Styles.TITLE, "volume " + volume.name());
    Tables.fields(html, List.of(Tables.Field.text("kind", kind(volume.anonymous())),
        Tables.Field.text("created", String.valueOf(volume.created()))));
    return MimeBundle.of(volume.name() + (volume.anonymous() ? " (anonymous)" : ""), html.close("div").toString(),
        json);
  }

  /** {@code docker volume ls}. */
  public static MimeBundle list(List<VolumeInfo> volumes) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("volumes", volumes.stream().map(VolumeView::json).toList());
    List<List<String>> rows = new ArrayList<>();
    for (VolumeInfo v : volumes) {
      rows.add(List.of(v.name(), kind(v.anonymous()), users(v)));
    }
    String plain = volumes.isEmpty() ? "no volumes"
        : dev.minke.dsl.Texts.table(List.of("VOLUME", "KIND", "USED BY"), rows);
    return MimeBundle.of(plain, html(volumes), json);
  }

  static Map<String, Object> json(VolumeInfo volume) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", volume.name());
    json.put("anonymous", volume.anonymous());
    json.put("mountpoint", volume.mountpoint());
    json.put("containers", volume.containers());
    json.put("unused", volume.unused());
    return json;
  }

  private static String html(List<VolumeInfo> volumes) {
    Html html = new Html().open("div", Styles.ROOT);
    if (volumes.size() == 1) {
      VolumeInfo v = volumes.get(0);
      html.element("div", Styles.TITLE, "volume " + v.name());
      Tables.fields(html, List.of(Tables.Field.text("kind", kind(v.anonymous())),
          Tables.Field.text("used by", users(v)), Tables.Field.code("mountpoint", v.mountpoint()),
          Tables.Field.text("created", String.valueOf(v.created()))));
    } else {
      html.element("div", Styles.TITLE, volumes.size() + " volumes");
      List<List<Cell>> rows = new ArrayList<>();
      for (VolumeInfo v : volumes) {
        rows.add(List.of(Cell.code(v.name()), Cell.text(kind(v.anonymous())), Cell.text(users(v)),
            Cell.code(v.mountpoint()), Cell.text(String.valueOf(v.created()))));
      }
      Tables.rows(html, List.of("volume", "kind", "used by", "mountpoint", "created"), rows);
    }
    return html.close("div").toString();
  }

  private static String kind(boolean anonymous) {
    return anonymous ? "anonymous" : "named";
  }

  private static String users(VolumeInfo volume) {
    return volume.unused() ? "unused" : String.join(", ", volume.containers());
  }
}
