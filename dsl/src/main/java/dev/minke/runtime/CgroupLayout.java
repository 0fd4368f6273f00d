package dev.minke.runtime;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the cgroup hierarchies are mounted and where this process sits in them, parsed from
 * {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}.
 *
 * <p>A pure value: it says nothing about permissions or which v2 controllers are delegated; {@link
 * Cgroups#detect()} looks at the files for that.
 *
 * @param kind the layout: pure v2, v1 only, hybrid (v1 controllers plus a cgroup2 mount), none
 * @param controllerMounts v1 controller name ({@code memory}, {@code cpu}, …) to its mount point;
 *     co-mounted controllers ({@code cpu,cpuacct}) map to the same directory
 * @param unifiedMount the cgroup2 mount point, if any ({@code /sys/fs/cgroup} on pure v2, {@code
 *     /sys/fs/cgroup/unified} on hybrid)
 * @param ownCgroups this process's cgroup path per v1 controller, and under the key {@code ""} in
 *     the v2 hierarchy ({@code 0::/path})
 */
public record CgroupLayout(
    Kind kind,
    Map<String, Path> controllerMounts,
    Optional<Path> unifiedMount,
    Map<String, String> ownCgroups) {

  /** The kinds of cgroup layout a Linux machine can have. */
  public enum Kind {
    /** cgroup2 only: one hierarchy, controllers listed in {@code cgroup.controllers}. */
    V2,
    /** cgroup v1 only: one hierarchy per controller (or co-mounted group). */
    V1,
    /** v1 controllers plus a cgroup2 mount (often without controllers, for systemd tracking). */
    HYBRID,
    /** No cgroup filesystem is mounted. */
    NONE
  }

  // Options in a v1 mount's super options that name controllers; the rest (rw, name=systemd,
  // clone_children, xattr, release_agent=…) do not.
  private static final Set<String> V1_CONTROLLERS =
      Set.of(
          "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "net_cls", "net_prio",
          "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

  public CgroupLayout {
    // Sorted, so that describe() and leftovers() come out the same way every time.
    controllerMounts = Collections.unmodifiableMap(new TreeMap<>(controllerMounts));
    ownCgroups = Collections.unmodifiableMap(new TreeMap<>(ownCgroups));
  }

  /** Parses the texts of {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
  public static CgroupLayout parse(String mountinfo, String selfCgroup) {
    Map<String, Path> controllerMounts = new LinkedHashMap<>();
    Path unified = null;
    for (String line : mountinfo.split("\n")) {
      MountLine mount = MountLine.parse(line);
      if (mount == null) {
        continue;
      }
      if (mount.fsType.equals("cgroup2") && unified == null) {
        unified = mount.mountPoint;
      } else if (mount.fsType.equals("cgroup")) {
        for (String option : mount.superOptions.split(",")) {
          if (V1_CONTROLLERS.contains(option)) {
            controllerMounts.putIfAbsent(option, mount.mountPoint);
          }
        }
      }
    }
    Kind kind =
        controllerMounts.isEmpty()
            ? (unified == null ? Kind.NONE : Kind.V2)
            : (unified == null ? Kind.V1 : Kind.HYBRID);
    return new CgroupLayout(
        kind, controllerMounts, Optional.ofNullable(unified), parseSelfCgroup(selfCgroup));
  }

  /** This process's path in the v1 hierarchy of {@code controller}, e.g. {@code /process_api/x}. */
  public Optional<String> ownCgroup(String controller) {
    return Optional.ofNullable(ownCgroups.get(controller));
  }

  /** This process's path in the cgroup2 hierarchy (the {@code 0::} line). */
  public Optional<String> ownUnifiedCgroup() {
    return Optional.ofNullable(ownCgroups.get(""));
  }

  // Lines are "hierarchy-id:controller,list:/path"; the v2 line has an empty controller list.
  private static Map<String, String> parseSelfCgroup(String text) {
    Map<String, String> own = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String[] parts = line.strip().split(":", 3);
      if (parts.length != 3) {
        continue;
      }
      if (parts[0].equals("0") && parts[1].isEmpty()) {
        own.put("", parts[2]);
        continue;
      }
      for (String controller : parts[1].split(",")) {
        if (!controller.isEmpty()) {
          own.putIfAbsent(controller, parts[2]);
        }
      }
    }
    return own;
  }

  /** One line of mountinfo: the fields Minke reads (proc(5), "/proc/pid/mountinfo"). */
  private record MountLine(Path mountPoint, String fsType, String superOptions) {
    static MountLine parse(String line) {
      String[] fields = line.strip().split(" ");
      int dash = -1;
      // Optional fields (shared:N, master:N) come between field 6 and the "-" separator.
      for (int i = 6; i < fields.length; i++) {
        if (fields[i].equals("-")) {
          dash = i;
          break;
        }
      }
      if (dash < 0 || fields.length < dash + 4) {
        return null;
      }
      return new MountLine(Path.of(unescape(fields[4])), fields[dash + 1], fields[dash + 3]);
    }

    // The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134.
    private static String unescape(String field) {
      StringBuilder out = new StringBuilder(field.length());
      for (int i = 0; i < field.length(); i++) {
        char c = field.charAt(i);
        if (c == '\\' && isOctal(field, i + 1)) {
          out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
          i += 3;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    private static boolean isOctal(String s, int from) {
      if (from + 3 > s.length()) {
        return false;
      }
      for (int i = from; i < from + 3; i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '7') {
          return false;
        }
      }
      return true;
    }
  }
}
