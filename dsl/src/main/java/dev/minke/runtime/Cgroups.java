package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The cgroups of this machine: where they are, whether Minke may make some, and making them.
 *
 * <p>Every container's cgroup is {@code minke/<name>}: on v1 under each hierarchy's mount point,
 * on v2 under the hierarchy root (as root) or under the user's delegated subtree. The {@code
 * minke} parents stay; {@link #leftovers()} lists what is left below them.
 */
public final class Cgroups {
  /** The directory all of Minke's cgroups live in, under each hierarchy. */
  static final String PARENT = "minke";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final CgroupLayout layout;
  private final Path v2Parent; // where minke/ goes on v2; null on v1 and when unavailable
  private final String unavailableReason; // null when cgroups can be made
  private final String unavailableHint;
  private final CgroupFs fs;
  private final int onlineCpus;

  private Cgroups(
      CgroupLayout layout, Path v2Parent, String unavailableReason, String unavailableHint,
      CgroupFs fs, int onlineCpus) {
    this.layout = layout;
    this.v2Parent = v2Parent;
    this.unavailableReason = unavailableReason;
    this.unavailableHint = unavailableHint;
    this.fs = fs;
    this.onlineCpus = onlineCpus;
  }

  /** Reads {@code /proc/self/mountinfo} and {@code /proc/self/cgroup} and checks permissions. */
  public static Cgroups detect() {
    CgroupLayout layout =
        CgroupLayout.parse(readProc("/proc/self/mountinfo"), readProc("/proc/self/cgroup"));
    return resolve(layout, effectiveUid() == 0, Files::isWritable, CgroupFs.KERNEL, onlineCpus());
  }

  /** Decides where cgroups go, given the layout and who we are; tests pass their own checks. */
  static Cgroups resolve(
      CgroupLayout layout, boolean root, Predicate<Path> writable, CgroupFs fs, int onlineCpus) {
    switch (layout.kind()) {
      case NONE:
        return new Cgroups(
            layout, null, "no cgroup filesystem is mounted (see /proc/self/mountinfo)",
            "mount cgroup2 on /sys/fs/cgroup", fs, onlineCpus);
      case V2:
        Path mount = layout.unifiedMount().orElseThrow();
        Path parent =
            root ? mount : delegatedParent(mount, layout.ownUnifiedCgroup().orElse("/"), writable);
        if (parent == null || !writable.test(parent)) {
          String where = parent == null ? "above " + layout.ownUnifiedCgroup().orElse("/") : parent.toString();
          return new Cgroups(
              layout, null, "no writable cgroup v2 subtree " + where + " in " + mount,
              CgroupException.DELEGATION_HINT, fs, onlineCpus);
        }
        return new Cgroups(layout, parent, null, null, fs, onlineCpus);
      default:
        for (String controller : List.of("memory", "cpu", "pids")) {
          Path v1Mount = layout.controllerMounts().get(controller);
          if (v1Mount != null && !writable.test(v1Mount)) {
            return new Cgroups(
                layout, null, "the cgroup v1 " + controller + " hierarchy " + v1Mount + " is not writable",
                "run as root (cgroup v1 has no safe delegation), or boot with cgroup v2 and "
                    + "enable delegation (systemd: Delegate=yes)",
                fs, onlineCpus);
          }
        }
        return new Cgroups(layout, null, null, null, fs, onlineCpus);
    }
  }

  /** A v2 hierarchy rooted at {@code parent}, for tests on a fake tree. */
  static Cgroups v2At(Path parent, CgroupFs fs, int onlineCpus) {
    CgroupLayout layout =
        new CgroupLayout(CgroupLayout.Kind.V2, Map.of(), Optional.of(parent), Map.of("", "/"));
    return new Cgroups(layout, parent, null, null, fs, onlineCpus);
  }

  // A delegated subtree is the highest ancestor of our own cgroup whose directory and
  // cgroup.procs we may write (systemd chowns user@UID.service to the user). Our own cgroup
  // itself cannot be the parent: v2 lets no cgroup both hold processes and pass controllers on.
  static Path delegatedParent(Path mount, String ownCgroup, Predicate<Path> writable) {
    Path dir = mount;
    String[] parts = ownCgroup.replaceAll("^/+", "").split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].isEmpty()) {
        continue;
      }
      dir = dir.resolve(parts[i]);
      if (writable.test(dir)
          && writable.test(dir.resolve("cgroup.procs"))
          && writable.test(dir.resolve("cgroup.subtree_control"))) {
        return dir;
      }
    }
    return null;
  }

  /** The mounts and this process's place in them. */
  public CgroupLayout layout() {
    return layout;
  }

  /** Whether Minke can make cgroups here. */
  public boolean available() {
    return unavailableReason == null;
  }

  /** Why Minke cannot make cgroups here, when it cannot. */
  public Optional<String> unavailableReason() {
    return Optional.ofNullable(unavailableReason);
  }

  /**
   * Makes the cgroup(s) {@code minke/<name>} with {@code limits} (null: unlimited).
   *
   * <p>Where cgroups are unavailable, a request without limits gets a handle with no cgroup
   * (Docker's defaults are unlimited anyway) and a request with limits throws.
   *
   * @throws CgroupException if a limit cannot be given here, naming the controller and the fix
   * @throws IllegalArgumentException if {@code name} is not one path component of [A-Za-z0-9_.-]
   */
  public CgroupHandle create(String name, RuntimeSpec.Resources limits) {
    checkName(name);
    CgroupLimits normalized = CgroupLimits.of(limits, onlineCpus);
    if (!available()) {
      if (normalized.any()) {
        throw new CgroupException(
            firstLimited(normalized), null,
            "cannot limit " + firstLimited(normalized) + " for " + name + ": " + unavailableReason,
            unavailableHint);
      }
      return new NoCgroup(name, unavailableReason);
    }
    if (layout.kind() == CgroupLayout.Kind.V2) {
      return V2Cgroup.create(fs, v2Parent, name, normalized);
    }
    return V1Cgroup.create(fs, layout.controllerMounts(), name, normalized);
  }

  /**
   * The cgroup {@code minke/<name>} that {@link #create} made earlier, in this JVM or another, so
   * that a detached container can be signalled, checked for an OOM kill and removed after the
   * handle that made it is long gone. Nothing is created; directories that are already gone are
   * fine (killing an empty cgroup and removing a missing one do nothing).
   */
  public CgroupHandle open(String name) {
    checkName(name);
    if (!available()) {
      return new NoCgroup(name, unavailableReason);
    }
    if (layout.kind() == CgroupLayout.Kind.V2) {
      return V2Cgroup.open(fs, v2Parent, name);
    }
    return V1Cgroup.open(fs, layout.controllerMounts(), name);
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "cgroup name `" + name + "` must be 1 to 128 of [A-Za-z0-9_.-], starting alphanumeric");
    }
  }

  private static String firstLimited(CgroupLimits limits) {
    return limits.limitsMemory() ? "memory" : limits.limitsCpu() ? "cpu" : "pids";
  }

  /** A few lines for errors and notebooks: the layout, this JVM's place, where cgroups go. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    switch (layout.kind()) {
      case V2 -> out.append("cgroup v2 at ").append(layout.unifiedMount().orElseThrow());
      case V1 -> out.append("cgroup v1");
      case HYBRID -> out.append("cgroup v1/v2 hybrid (limits in v1; cgroup2 at ")
          .append(layout.unifiedMount().orElseThrow()).append(")");
      case NONE -> out.append("no cgroups");
    }
    out.append('\n');
    layout.controllerMounts().forEach(
        (controller, mount) -> out.append("  ").append(controller).append(" → ").append(mount)
            .append(", this JVM in ").append(layout.ownCgroup(controller).orElse("?")).append('\n'));
    layout.ownUnifiedCgroup().ifPresent(
        own -> out.append("  cgroup2: this JVM in ").append(own).append('\n'));
    if (available()) {
      out.append("  new cgroups: ")
          .append(String.join(", ", parentDirs().stream().map(dir -> dir + "/<name>").toList()))
          .append('\n');
    } else {
      out.append("  unavailable: ").append(unavailableReason).append(" (").append(unavailableHint).append(")\n");
    }
    out.append("  online CPUs: ").append(onlineCpus).append('\n');
    return out.toString();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Every {@code minke/*} cgroup directory on this machine, e.g. left by a crashed JVM. */
  public static List<String> leftovers() {
    return detect().leftoverDirs();
  }

  List<String> leftoverDirs() {
    Set<Path> roots = new LinkedHashSet<>(layout.controllerMounts().values());
    layout.unifiedMount().ifPresent(roots::add);
    if (v2Parent != null) {
      roots.add(v2Parent);
    }
    List<String> out = new ArrayList<>();
    for (Path root : roots) {
      try {
        fs.children(root.resolve(PARENT)).forEach(dir -> out.add(dir.toString()));
      } catch (IOException e) {
        throw new CgroupException("", root, "cannot list " + root.resolve(PARENT) + ": " + e, "");
      }
    }
    return out;
  }

  // The minke/ directories new cgroups go into.
  private List<Path> parentDirs() {
    if (v2Parent != null) {
      return List.of(v2Parent.resolve(PARENT));
    }
    Set<Path> mounts = new LinkedHashSet<>();
    for (String controller : V1Cgroup.CONTROLLERS) {
      Path mount = layout.controllerMounts().get(controller);
      if (mount != null) {
        mounts.add(mount.resolve(PARENT));
      }
    }
    return List.copyOf(mounts);
  }

  private static String readProc(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return ""; // not Linux, or no /proc: no cgroups
    }
  }

  private static long effectiveUid() {
    for (String line : readProc("/proc/self/status").split("\n")) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
      }
    }
    return -1;
  }

  // Docker's check counts the machine's CPUs; /sys lists the online ones as ranges ("0-3,6").
  static int onlineCpus() {
    String online = readProc("/sys/devices/system/cpu/online").strip();
    if (online.isEmpty()) {
      return Runtime.getRuntime().availableProcessors();
    }
    int count = 0;
    for (String range : online.split(",")) {
      String[] ends = range.split("-");
      count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
    }
    return count;
  }
}
