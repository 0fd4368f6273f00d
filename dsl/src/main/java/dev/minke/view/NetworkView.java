package dev.minke.view;

import dev.minke.runtime.net.Network;
import dev.minke.view.Tables.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Networks as {@code docker network inspect} and {@code ls} show them: driver, subnet, gateway,
 * bridge and the containers running on each, with their addresses. The creation time is in the
 * HTML only.
 *
 * <p>JSON of one network: <pre>{@code
 * {"name": "shop", "driver": "bridge", "subnet": "10.213.1.0/24", "gateway": "10.213.1.1",
 *  "bridge": "mk-…",            (subnet, gateway and bridge absent for host and none)
 *  "containers": [{"id": "3f2a…", "name": "shop-db", "address": "10.213.1.2"}]}
 * }</pre> of a list: {@code {"networks": [one per network]}}.
 */
public final class NetworkView {
  private NetworkView() {}

  public static MimeBundle of(Network network) {
    Html html = new Html().open("div", Styles.ROOT).element("div", Styles.TITLE, "network " + network.name());
    List<Tables.Field> fields = new ArrayList<>();
    fields.add(Tables.Field.text("driver", network.driver()));
    if (network.subnet() != null) {
      fields.add(Tables.Field.code("subnet", network.subnet()));
    }
    if (network.gateway() != null) {
      fields.add(Tables.Field.code("gateway", network.gateway()));
    }
    if (network.bridge() != null) {
      fields.add(Tables.Field.code("bridge", network.bridge()));
    }
    if (network.created() != null) {
      fields.add(Tables.Field.text("created", network.created()));
    }
    Tables.fields(html, fields);
    if (network.containers().isEmpty()) {
      html.element("div", Styles.MUTED, "no containers running on it");
    } else {
      List<List<Cell>> rows = new ArrayList<>();
      for (Network.Endpoint e : network.containers()) {
        rows.add(List.of(Cell.text(String.valueOf(e.name())), Cell.code(shortId(e.containerId())),
            Cell.code(String.valueOf(e.address()))));
      }
      Tables.rows(html, List.of("container", "id", "address"), rows);
    }
    return MimeBundle.of(plain(network), html.close("div").toString(), json(network));
  }

  /** {@code docker network ls}. */
  public static MimeBundle list(List<Network> networks) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("networks", networks.stream().map(NetworkView::json).toList());
    Html html = new Html().open("div", Styles.ROOT).element("div", Styles.TITLE, networks.size() + " networks");
    List<List<Cell>> rows = new ArrayList<>();
    List<List<String>> plainRows = new ArrayList<>();
    for (Network n : networks) {
      String members = String.join(", ", n.containers().stream().map(e -> e.name() + " " + e.address()).toList());
      rows.add(List.of(Cell.code(n.name()), Cell.text(n.driver()), Cell.code(dash(n.subnet())),
          Cell.code(dash(n.bridge())), Cell.text(members.isEmpty() ? "-" : members)));
      plainRows.add(List.of(n.name(), n.driver(), dash(n.subnet()), dash(n.bridge()),
          String.valueOf(n.containers().size())));
    }
    Tables.rows(html, List.of("network", "driver", "subnet", "bridge", "containers"), rows);
    String plain = dev.minke.dsl.Texts.table(List.of("NETWORK", "DRIVER", "SUBNET", "BRIDGE", "RUNNING"), plainRows);
    return MimeBundle.of(plain, html.close("div").toString(), json);
  }

  static Map<String, Object> json(Network network) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", network.name());
    json.put("driver", network.driver());
    putIfSet(json, "subnet", network.subnet());
    putIfSet(json, "gateway", network.gateway());
    putIfSet(json, "bridge", network.bridge());
    List<Map<String, Object>> members = new ArrayList<>();
    for (Network.Endpoint e : network.containers()) {
      Map<String, Object> member = new LinkedHashMap<>();
      member.put("id", e.containerId());
      member.put("name", e.name());
      putIfSet(member, "address", e.address());
      members.add(member);
    }
    json.put("containers", members);
    return json;
  }

  private static String plain(Network network) {
    StringBuilder out = new StringBuilder(network.toString());
    for (Network.Endpoint e : network.containers()) {
      out.append("\n  ").append(e.name()).append(' ').append(e.address());
    }
    return out.toString();
  }

  private static void putIfSet(Map<String, Object> json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }

  private static String shortId(String id) {
    return id == null ? "-" : id.length() > 12 ? id.substring(0, 12) : id;
  }
}
