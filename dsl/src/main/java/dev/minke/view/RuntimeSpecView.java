package dev.minke.view;

import dev.minke.image.Json;
import dev.minke.runtime.RuntimeSpec;
import dev.minke.view.Tables.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI {@code config.json} (RuntimeSpec) a user reads in a cell: a short table that explains its
 * key parts, and the whole document as indented JSON in a collapsed {@code <details>}.
 *
 * <p>JSON: <pre>{@code
 * {"explained": {
 *    "process":      {"args": [..], "user": "0:0", "cwd": "/", "env": [..], "noNewPrivileges": true},
 *    "root":         {"path": "rootfs", "readonly": false},
 *    "hostname":     "3f2a9c…",                       (absent when none)
 *    "namespaces":   ["pid", "network", ..],          (a joined one: "network:/proc/1/ns/net")
 *    "userMappings": ["0->1000 (1)"],                 (uid maps; absent without a user namespace)
 *    "mounts":       [{"destination", "type", "source", "options": [..]}],
 *    "capabilities": {"count": 14, "names": ["CAP_CHOWN", ..]},   (the bounding set)
 *    "seccomp":      {"defaultAction": "SCMP_ACT_ERRNO", "rules": 1, "syscalls": 350}   (absent: no filter)
 *    "maskedPaths":  [..], "readonlyPaths": [..],
 *    "cgroup":       {"path": "/minke/ID", "memoryBytes": 67108864, "cpuQuota": 50000,
 *                     "cpuPeriod": 100000, "pids": 100}          (limits absent when unlimited)
 *    "rlimits":      ["RLIMIT_NOFILE 1024/1024"]},
 *  "config": { the config.json document as a tree }}
 * }</pre>
 */
public final class RuntimeSpecView {
  private RuntimeSpecView() {}

  public static MimeBundle bundle(RuntimeSpec spec) {
    return MimeBundle.of(spec.toString(),
        new Html().open("div", Styles.ROOT).element("div", Styles.TITLE, "OCI runtime spec (config.json)")
            .raw(html(spec)).close("div").toString(),
        json(spec));
  }

  /** The explained table and the collapsed document, for a bigger view to include. */
  static String html(RuntimeSpec spec) {
    Map<String, Object> explained = explained(spec);
    Html html = new Html();
    Tables.rows(html, List.of("part", "value", "what it means"), rows(explained));
    String pretty = spec.toString();
    html.open("details").element("summary", Styles.SUMMARY,
            "config.json (" + pretty.lines().count() + " lines)")
        .element("pre", Styles.PRE, pretty).close("details");
    return html.toString();
  }

  /** The JSON twin: {@code {"explained": …, "config": …}}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> json(RuntimeSpec spec) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("explained", explained(spec));
    json.put("config", Json.mapper().convertValue(spec, LinkedHashMap.class));
    return json;
  }

  /** The key parts of a spec, as JSON values. */
  static Map<String, Object> explained(RuntimeSpec spec) {
    Map<String, Object> parts = new LinkedHashMap<>();
    RuntimeSpec.Process process = spec.process();
    if (process != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("args", process.args());
      if (process.user() != null) {
        p.put("user", process.user().uid() + ":" + process.user().gid());
      }
      if (process.cwd() != null) {
        p.put("cwd", process.cwd());
      }
      p.put("env", process.env());
      p.put("noNewPrivileges", process.noNewPrivileges());
      parts.put("process", p);
    }
    if (spec.root() != null) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("path", String.valueOf(spec.root().path()));
      root.put("readonly", spec.root().readonly());
      parts.put("root", root);
    }
    if (spec.hostname() != null && !spec.hostname().isEmpty()) {
      parts.put("hostname", spec.hostname());
    }
    RuntimeSpec.Linux linux = spec.linux();
    if (linux != null) {
      parts.put("namespaces", linux.namespaces().stream()
          .map(ns -> ns.path() == null || ns.path().isEmpty() ? ns.type() : ns.type() + ":" + ns.path()).toList());
      if (!linux.uidMappings().isEmpty()) {
        parts.put("userMappings", linux.uidMappings().stream()
            .map(m -> m.containerID() + "->" + m.hostID() + " (" + m.size() + ")").toList());
      }
    }
    parts.put("mounts", spec.mounts().stream().map(RuntimeSpecView::mount).toList());
    List<String> caps = process == null || process.capabilities() == null
        || process.capabilities().bounding() == null ? List.of() : process.capabilities().bounding();
    Map<String, Object> capabilities = new LinkedHashMap<>();
    capabilities.put("count", caps.size());
    capabilities.put("names", caps);
    parts.put("capabilities", capabilities);
    if (linux != null) {
      if (linux.seccomp() != null) {
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("defaultAction", String.valueOf(linux.seccomp().defaultAction()));
        seccomp.put("rules", linux.seccomp().syscalls().size());
        seccomp.put("syscalls", linux.seccomp().syscalls().stream().mapToInt(s -> s.names().size()).sum());
        parts.put("seccomp", seccomp);
      }
      parts.put("maskedPaths", linux.maskedPaths());
      parts.put("readonlyPaths", linux.readonlyPaths());
      parts.put("cgroup", cgroup(linux));
    }
    if (process != null && !process.rlimits().isEmpty()) {
      parts.put("rlimits", process.rlimits().stream().map(r -> r.type() + " " + r.soft() + "/" + r.hard()).toList());
    }
    return parts;
  }

  private static Map<String, Object> mount(RuntimeSpec.Mount mount) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("destination", mount.destination());
    m.put("type", String.valueOf(mount.type()));
    m.put("source", String.valueOf(mount.source()));
    m.put("options", mount.options());
    return m;
  }

  private static Map<String, Object> cgroup(RuntimeSpec.Linux linux) {
    Map<String, Object> cgroup = new LinkedHashMap<>();
    if (linux.cgroupsPath() != null) {
      cgroup.put("path", linux.cgroupsPath());
    }
    RuntimeSpec.Resources r = linux.resources();
    if (r != null) {
      if (r.memory() != null && r.memory().limit() != null) {
        cgroup.put("memoryBytes", r.memory().limit());
      }
      if (r.cpu() != null && r.cpu().quota() != null) {
        cgroup.put("cpuQuota", r.cpu().quota());
        cgroup.put("cpuPeriod", r.cpu().period() == null ? 100_000L : r.cpu().period());
      }
      if (r.pids() != null) {
        cgroup.put("pids", r.pids().limit());
      }
    }
    return cgroup;
  }

  // ---- the explained table ----

  @SuppressWarnings("unchecked")
  private static List<List<Cell>> rows(Map<String, Object> parts) {
    List<List<Cell>> rows = new ArrayList<>();
    Map<String, Object> process = (Map<String, Object>) parts.get("process");
    if (process != null) {
      rows.add(row("process", String.join(" ", (List<String>) process.get("args")),
          "what runs, as user " + process.getOrDefault("user", "?") + " in " + process.getOrDefault("cwd", "/")
              + ", with " + ((List<?>) process.get("env")).size() + " environment variables"
              + (Boolean.TRUE.equals(process.get("noNewPrivileges")) ? "; no_new_privs: setuid cannot gain rights" : "")));
    }
    Map<String, Object> root = (Map<String, Object>) parts.get("root");
    if (root != null) {
      rows.add(row("root", root.get("path") + (Boolean.TRUE.equals(root.get("readonly")) ? " (read-only)" : ""),
          "the image's files, on an overlay whose upper layer takes the container's writes"));
    }
    if (parts.containsKey("hostname")) {
      rows.add(row("hostname", (String) parts.get("hostname"), "its own host name, in its own UTS namespace"));
    }
    if (parts.containsKey("namespaces")) {
      rows.add(row("namespaces", String.join(", ", (List<String>) parts.get("namespaces")),
          "what the container sees of its own: processes (pid), network, mounts, host name (uts), IPC, cgroups"
              + (parts.containsKey("userMappings") ? "; users: " + String.join(", ",
                  (List<String>) parts.get("userMappings")) + " (container->host)" : "")));
    }
    List<Map<String, Object>> mounts = (List<Map<String, Object>>) parts.get("mounts");
    rows.add(row("mounts", mounts.size() + ": " + String.join(", ", mounts.stream()
            .map(m -> (String) m.get("destination")).toList()),
        "filesystems placed over the root: /proc, /dev, /sys, and the volumes and binds"));
    Map<String, Object> caps = (Map<String, Object>) parts.get("capabilities");
    rows.add(row("capabilities", caps.get("count") + " (bounding set)",
        "root's powers the process keeps; a host root has about 40"));
    Map<String, Object> seccomp = (Map<String, Object>) parts.get("seccomp");
    rows.add(seccomp == null ? row("seccomp", "none", "every system call is allowed")
        : row("seccomp", seccomp.get("defaultAction") + ", " + seccomp.get("rules") + " rules for "
            + seccomp.get("syscalls") + " syscalls", "a filter on system calls: those not listed get the default action"));
    if (parts.containsKey("maskedPaths")) {
      List<String> masked = (List<String>) parts.get("maskedPaths");
      List<String> readonly = (List<String>) parts.get("readonlyPaths");
      rows.add(row("masked paths", masked.size() + " masked, " + readonly.size() + " read-only",
          "host information under /proc and /sys hidden (masked) or made read-only"));
    }
    if (parts.containsKey("cgroup")) {
      Map<String, Object> cgroup = (Map<String, Object>) parts.get("cgroup");
      rows.add(row("cgroup", String.valueOf(cgroup.getOrDefault("path", "-")) + "; " + Limits.text(cgroup),
          "limits the kernel enforces on memory, CPU time and process count"));
    }
    if (parts.containsKey("rlimits")) {
      rows.add(row("rlimits", String.join(", ", (List<String>) parts.get("rlimits")), "per-process resource limits"));
    }
    return rows;
  }

  private static List<Cell> row(String part, String value, String meaning) {
    return List.of(Cell.text(part), Cell.code(value), Cell.text(meaning));
  }
}
