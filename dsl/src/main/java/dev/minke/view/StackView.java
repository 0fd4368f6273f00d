package dev.minke.view;

import dev.minke.dsl.Service;
import dev.minke.dsl.Stack;
import dev.minke.dsl.StackStatus;
import dev.minke.registry.Reference;
import dev.minke.view.Tables.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack in a cell: its services with their images, containers and states, and its network.
 * A {@link Stack} shows its definition and, when its store can be read, its {@code ps()}; a
 * {@link StackStatus} shows the states alone.
 *
 * <p>JSON: <pre>{@code
 * {"stack": "shop", "network": "shop",
 *  "networkExists": true,                         (absent when the state is unknown)
 *  "services": [{"service": "db",
 *     "image": "busybox", "command": [..], "ports": ["8080:80"], "volumes": ["data:/d"],
 *     "dependsOn": ["cache"],                     (these five: from a Stack's definition only)
 *     "container": "shop-db",
 *     "state": "MISSING" | "CREATED" | "RUNNING" | "EXITED",  (absent when unknown)
 *     "containerId": "3f2a…", "exitCode": 0}]}   (when it has a container; once exited)
 * }</pre>
 */
public final class StackView {
  private StackView() {}

  /** The definition, with the state {@code ps()} reads now (left out if the store cannot be read). */
  public static MimeBundle of(Stack stack) {
    StackStatus status;
    try {
      status = stack.ps();
    } catch (RuntimeException e) {
      status = null; // no store here yet: the definition is still worth showing
    }
    return of(stack, status);
  }

  public static MimeBundle of(StackStatus status) {
    return of(null, status);
  }

  /** The view of a definition and/or a status; one of them may be null. */
  static MimeBundle of(Stack stack, StackStatus status) {
    String name = stack != null ? stack.name() : status.stack();
    String network = stack != null ? stack.network() : status.network();
    List<Row> rows = rows(stack, status);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stack", name);
    json.put("network", network);
    if (status != null) {
      json.put("networkExists", status.networkExists());
    }
    json.put("services", rows.stream().map(Row::json).toList());

    String title = "stack " + name + " on network " + network
        + (status == null ? "" : status.networkExists() ? "" : " (absent)");
    Html html = new Html().open("div", Styles.ROOT).element("div", Styles.TITLE, title);
    List<String> header = new ArrayList<>(List.of("service"));
    if (stack != null) {
      header.addAll(List.of("image", "command", "ports", "depends on"));
    }
    header.addAll(List.of("container", "state"));
    List<List<Cell>> cells = new ArrayList<>();
    for (Row row : rows) {
      List<Cell> line = new ArrayList<>(List.of(Cell.text(row.service())));
      if (row.definition() != null) {
        Service s = row.definition();
        line.add(Cell.code(imageOf(s)));
        line.add(Cell.code(s.command().isEmpty() ? "(image's)" : String.join(" ", s.command())));
        line.add(Cell.code(String.join(", ", s.ports())));
        line.add(Cell.text(String.join(", ", s.dependsOn())));
      }
      line.add(Cell.code(row.container() + (row.status() != null && row.status().containerId() != null
          ? " " + row.status().containerId().substring(0, Math.min(12, row.status().containerId().length())) : "")));
      line.add(row.status() == null ? Cell.text("?") : new Cell(Styles.badgeMarkup(stateText(row.status()),
          stateColour(row.status()))));
      cells.add(line);
    }
    Tables.rows(html, header, cells);
    return MimeBundle.of(plain(stack, status), html.close("div").toString(), json);
  }

  /** One service: its definition (null for a status alone) and its status (null when unknown). */
  private record Row(String service, String container, Service definition, StackStatus.ServiceStatus status) {
    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("service", service);
      if (definition != null) {
        json.put("image", imageOf(definition));
        json.put("command", definition.command());
        json.put("ports", definition.ports());
        json.put("volumes", definition.volumes());
        json.put("dependsOn", definition.dependsOn());
      }
      json.put("container", container);
      if (status != null) {
        json.put("state", status.state().name());
        if (status.containerId() != null) {
          json.put("containerId", status.containerId());
        }
        if (status.exitCode() != null) {
          json.put("exitCode", status.exitCode());
        }
      }
      return json;
    }
  }

  private static List<Row> rows(Stack stack, StackStatus status) {
    List<Row> rows = new ArrayList<>();
    if (stack == null) {
      status.services().forEach(s -> rows.add(new Row(s.service(), s.container(), null, s)));
      return rows;
    }
    for (Service service : stack.services()) {
      Optional<StackStatus.ServiceStatus> state = status == null ? Optional.empty() : status.service(service.name());
      rows.add(new Row(service.name(), stack.containerName(service.name()), service, state.orElse(null)));
    }
    return rows;
  }

  private static String plain(Stack stack, StackStatus status) {
    if (status != null) {
      return status.toString();
    }
    List<List<String>> rows = new ArrayList<>();
    for (Service s : stack.services()) {
      rows.add(List.of(s.name(), imageOf(s), stack.containerName(s.name())));
    }
    return "stack " + stack.name() + " on network " + stack.network() + "\n"
        + dev.minke.dsl.Texts.table(List.of("SERVICE", "IMAGE", "CONTAINER"), rows);
  }

  private static String imageOf(Service service) {
    if (service.imageName() != null) {
      return service.imageName();
    }
    return service.image().reference().map(Reference::familiar).orElse(service.image().digest().toString());
  }

  private static String stateText(StackStatus.ServiceStatus s) {
    return switch (s.state()) {
      case MISSING -> "no container";
      case CREATED -> "created";
      case RUNNING -> "running";
      case EXITED -> "exited (" + s.exitCode() + ")";
    };
  }

  private static String stateColour(StackStatus.ServiceStatus s) {
    return switch (s.state()) {
      case MISSING, CREATED -> Styles.GREY;
      case RUNNING -> Styles.GREEN;
      case EXITED -> s.exitCode() != null && s.exitCode() == 0 ? Styles.BLUE : Styles.RED;
    };
  }
}
