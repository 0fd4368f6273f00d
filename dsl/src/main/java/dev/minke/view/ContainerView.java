package dev.minke.view;

import dev.minke.dsl.Container;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.RuntimeSpec;
import dev.minke.runtime.net.Networks;
import dev.minke.view.Tables.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container as {@code docker inspect} would tell it, in a cell: name, ID, image, command,
 * state, exit code and OOM kill, cgroup limits, network, address and ports, and its {@code
 * config.json} explained ({@link RuntimeSpecView}). Times (created, started, finished) are in the
 * HTML only.
 *
 * <p>JSON: <pre>{@code
 * {"id": "3f2a…" (64 hex), "name": "web", "image": "busybox", "imageDigest": "sha256:…",
 *  "command": ["sh", "-c", "…"], "state": "CREATED" | "RUNNING" | "EXITED",
 *  "exitCode": 0 (once exited), "oomKilled": false, "error": "…" (when the runtime reported one),
 *  "backend": "minke-init" (once started),
 *  "limits": {"memoryBytes": …, "cpuQuota": …, "cpuPeriod": …, "pids": …} (each absent when unlimited),
 *  "network": {"name": "bridge", "address": "10.213.0.5", "ports": [{"hostIp", "hostPort",
 *              "containerPort", "protocol"}]} (absent when unknown: the container does not run),
 *  "config": RuntimeSpecView's {"explained", "config"} (absent when its config.json is unreadable)}
 * }</pre>
 */
public final class ContainerView {
  private ContainerView() {}

  /** Reads the container's record, its config.json and the host's network state now. */
  public static MimeBundle of(Container container) {
    ContainerRecord record = container.record();
    RuntimeSpec spec;
    try {
      spec = container.config();
    } catch (RuntimeException e) {
      spec = null; // removed meanwhile, or created half way: show what the record has
    }
    boolean running = record.state() == ContainerRecord.State.RUNNING;
    return of(record, spec, ContainerNetwork.lookup(record.id(), running, spec, new Networks()).orElse(null));
  }

  /** The view of the given facts; {@code spec} and {@code network} may be null (unknown). */
  static MimeBundle of(ContainerRecord record, RuntimeSpec spec, ContainerNetwork network) {
    return MimeBundle.of(plain(record, spec, network), html(record, spec, network), json(record, spec, network));
  }

  static Map<String, Object> json(ContainerRecord record, RuntimeSpec spec, ContainerNetwork network) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", record.id());
    json.put("name", record.name());
    json.put("image", String.valueOf(record.image()));
    if (record.imageDigest() != null) {
      json.put("imageDigest", record.imageDigest());
    }
    json.put("command", record.command());
    json.put("state", String.valueOf(record.state()));
    if (record.exitCode() != null) {
      json.put("exitCode", record.exitCode());
    }
    json.put("oomKilled", record.oomKilled());
    if (record.error() != null && !record.error().isEmpty()) {
      json.put("error", record.error());
    }
    if (record.backend() != null) {
      json.put("backend", record.backend());
    }
    json.put("limits", limits(spec));
    if (network != null) {
      json.put("network", network.json());
    }
    if (spec != null) {
      json.put("config", RuntimeSpecView.json(spec));
    }
    return json;
  }

  private static String plain(ContainerRecord record, RuntimeSpec spec, ContainerNetwork network) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("container", record.name() + " (" + record.shortId() + ")"));
    rows.add(List.of("state", status(record)));
    rows.add(List.of("image", String.valueOf(record.image())));
    rows.add(List.of("command", String.join(" ", record.command())));
    rows.add(List.of("limits", Limits.text(limits(spec))));
    if (network != null) {
      rows.add(List.of("network", network.text()));
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      out.append(String.format("%-10s %s%n", row.get(0), row.get(1)));
    }
    return out.toString().stripTrailing();
  }

  private static String html(ContainerRecord record, RuntimeSpec spec, ContainerNetwork network) {
    Html html = new Html().open("div", Styles.ROOT);
    html.open("div", Styles.TITLE).text("container " + record.name() + " ")
        .raw(Styles.badgeMarkup(status(record), stateColour(record))).close("div");
    List<Field> fields = new ArrayList<>();
    fields.add(Field.code("ID", record.id()));
    fields.add(Field.text("image", String.valueOf(record.image())));
    if (record.imageDigest() != null) {
      fields.add(Field.code("image digest", record.imageDigest()));
    }
    fields.add(Field.code("command", String.join(" ", record.command())));
    fields.add(Field.text("limits", Limits.text(limits(spec))));
    if (network != null) {
      fields.add(Field.text("network", network.name()));
      if (network.address() != null) {
        fields.add(Field.code("address", network.address()));
      }
      if (!network.ports().isEmpty()) {
        fields.add(Field.code("ports", String.join(", ", network.ports().stream().map(Object::toString).toList())));
      }
    }
    if (record.error() != null && !record.error().isEmpty()) {
      fields.add(Field.text("error", record.error()));
    }
    if (record.backend() != null) {
      fields.add(Field.text("runtime", record.backend()));
    }
    addTime(fields, "created", record.created());
    addTime(fields, "started", record.startedAt());
    addTime(fields, "finished", record.finishedAt());
    Tables.fields(html, fields);
    if (spec != null) {
      html.element("div", Styles.SECTION, "config.json").raw(RuntimeSpecView.html(spec));
    }
    return html.close("div").toString();
  }

  private static void addTime(List<Field> fields, String label, String time) {
    if (time != null && !time.isEmpty()) {
      fields.add(Field.text(label, time));
    }
  }

  /** The cgroup limits of the spec, without the cgroup's path. */
  private static Map<String, Object> limits(RuntimeSpec spec) {
    if (spec == null) {
      return new LinkedHashMap<>();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> cgroup = (Map<String, Object>) RuntimeSpecView.explained(spec).get("cgroup");
    Map<String, Object> limits = new LinkedHashMap<>(cgroup == null ? Map.of() : cgroup);
    limits.remove("path");
    return limits;
  }

  /** {@code created}, {@code running}, {@code exited (137) OOM killed}, as Container.toString says it. */
  static String status(ContainerRecord record) {
    return switch (record.state()) {
      case CREATED -> "created";
      case RUNNING -> "running";
      case EXITED -> "exited (" + record.exitCode() + ")" + (record.oomKilled() ? " OOM killed" : "");
    };
  }

  private static String stateColour(ContainerRecord record) {
    return switch (record.state()) {
      case CREATED -> Styles.GREY;
      case RUNNING -> Styles.GREEN;
      case EXITED -> record.exitCode() != null && record.exitCode() == 0 && !record.oomKilled()
          ? Styles.BLUE : Styles.RED;
    };
  }
}
