package dev.minke.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import dev.minke.image.MalformedDocumentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI bundle (opencontainers/runtime-spec bundle.md: a directory with {@code config.json}
 * and a ready root filesystem) read and checked for minke-init. Everything minke-init cannot do
 * is refused here, before anything is created, with the field and the reason; what it can
 * safely ignore is listed in {@link #warnings()}.
 */
public final class OciBundleSpec {
  /** Mounts minke-init always makes itself; config.json entries for them are skipped. */
  static final Set<String> STANDARD_MOUNTS =
      Set.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys");

  /** runtime-spec namespace type → minke-init's {@code ns=} name. */
  private static final Map<String, String> NAMESPACES = Map.of(
      "pid", "pid", "network", "net", "ipc", "ipc", "uts", "uts", "mount", "mount",
      "cgroup", "cgroup", "user", "user");

  /** Mount options of runc that minke-init has no use for: dropped, or mapped to the plain one. */
  private static final Map<String, String> OPTION_MAP =
      Map.of("rro", "ro", "rrw", "rw", "tmpcopyup", "", "idmap", "", "ridmap", "", "nosymfollow", "");

  private final Path bundle;
  private final RuntimeSpec spec;
  private final Path rootfs;
  private final Map<String, String> annotations;
  private final boolean seccomp;
  private final List<String> mounts;
  private final List<String> warnings;

  private OciBundleSpec(Path bundle, RuntimeSpec spec, Path rootfs, Map<String, String> annotations,
      boolean seccomp, List<String> mounts, List<String> warnings) {
    this.bundle = bundle;
    this.spec = spec;
    this.rootfs = rootfs;
    this.annotations = annotations;
    this.seccomp = seccomp;
    this.mounts = List.copyOf(mounts);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads {@code bundle/config.json}.
   *
   * @throws OciBundleException naming the field when the bundle asks for what minke-init cannot do
   */
  public static OciBundleSpec load(Path bundle) {
    return load(bundle, Cgroups.detect().layout().kind() == CgroupLayout.Kind.V2);
  }

  static OciBundleSpec load(Path bundle, boolean cgroupV2) {
    Path dir;
    byte[] bytes;
    try {
      dir = bundle.toRealPath();
      bytes = Files.readAllBytes(dir.resolve("config.json"));
    } catch (IOException e) {
      throw new OciBundleException(bundle, "config.json", "cannot read " + bundle.resolve("config.json") + ": " + e,
          "a bundle is a directory with config.json (`runc spec` writes one) and the root filesystem");
    }
    JsonNode tree;
    RuntimeSpec raw;
    try {
      tree = Json.mapper().readTree(bytes);
      raw = Json.read(bytes, RuntimeSpec.class);
    } catch (IOException | MalformedDocumentException e) {
      throw new OciBundleException(dir, "config.json", "config.json in " + dir + " is not a valid runtime spec: "
          + e.getMessage(), "check it against opencontainers/runtime-spec config.md");
    }
    List<String> warnings = new ArrayList<>();
    Path rootfs = rootfs(dir, raw.root());
    RuntimeSpec.Linux linux = linux(dir, raw);
    checkUnsupported(dir, tree, warnings);
    List<String> mounts = new ArrayList<>();
    for (RuntimeSpec.Mount mount : raw.mounts()) {
      String record = mountRecord(dir, mount, cgroupV2, warnings);
      if (record != null) {
        mounts.add(record);
      }
    }
    RuntimeSpec spec = new RuntimeSpec(
        raw.ociVersion() == null ? RuntimeSpec.OCI_VERSION : raw.ociVersion(), process(dir, raw.process()),
        new RuntimeSpec.Root(rootfs.toString(), raw.root().readonly()), raw.hostname(), raw.mounts(), linux);
    if (spec.hostname() != null && !spec.hostname().isEmpty()
        && linux.namespaces().stream().noneMatch(n -> n.type().equals("uts"))) {
      throw new OciBundleException(dir, "hostname", "hostname \"" + spec.hostname() + "\" needs a uts namespace",
          "add {\"type\": \"uts\"} to linux.namespaces, or drop hostname");
    }
    return new OciBundleSpec(dir, spec, rootfs, annotations(tree), tree.path("linux").has("seccomp"), mounts,
        warnings);
  }

  /** The bundle directory, absolute and without symlinks. */
  public Path bundle() {
    return bundle;
  }

  /** config.json with defaults filled in (user 0:0, cwd /) and root.path made absolute. */
  public RuntimeSpec spec() {
    return spec;
  }

  /** The root filesystem directory. */
  public Path rootfs() {
    return rootfs;
  }

  /** config.json's {@code annotations}, for the container's state. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The {@code mount=} values minke-init gets for config.json's mounts, in order. */
  public List<String> mountRecords() {
    return mounts;
  }

  /** What config.json asks for that Minke ignores (sysctl, devices, a custom seccomp profile…). */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * minke-init's spec for this bundle: the container waits on {@code startFifo} before it execs,
   * joins the {@code cgroup.procs} files given and has the device filter on {@code deviceFilterDir}.
   */
  byte[] initRecords(Path startFifo, List<Path> cgroupProcs, Optional<Path> deviceFilterDir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // minke-init has one profile, Docker's default: given for any profile in config.json.
    out.writeBytes(InitSpec.encode(spec, rootfs, cgroupProcs, deviceFilterDir, seccomp ? "default" : "none"));
    mounts.forEach(m -> out.writeBytes(InitSpec.record("mount", m)));
    out.writeBytes(InitSpec.record("start_fifo", startFifo.toString()));
    return out.toByteArray();
  }

  private static Path rootfs(Path bundle, RuntimeSpec.Root root) {
    if (root == null || root.path() == null || root.path().isEmpty()) {
      throw new OciBundleException(bundle, "root.path", "config.json in " + bundle + " has no root.path",
          "set root.path to the root filesystem directory, e.g. \"rootfs\"");
    }
    Path path = bundle.resolve(root.path()).normalize();
    if (!Files.isDirectory(path)) {
      throw new OciBundleException(bundle, "root.path", "root.path " + path + " is not a directory",
          "unpack the root filesystem there first (Minke runs a ready directory, not an image)");
    }
    return path;
  }

  private static RuntimeSpec.Linux linux(Path bundle, RuntimeSpec raw) {
    RuntimeSpec.Linux linux = raw.linux();
    if (linux == null) {
      throw new OciBundleException(bundle, "linux", "config.json in " + bundle + " has no linux section",
          "add linux.namespaces, at least {\"type\": \"mount\"}");
    }
    Set<String> seen = new HashSet<>();
    for (RuntimeSpec.Namespace ns : linux.namespaces()) {
      if (!NAMESPACES.containsKey(ns.type())) {
        throw new OciBundleException(bundle, "linux.namespaces", "namespace type \"" + ns.type()
            + "\" is not supported by minke-init", "use pid, network, ipc, uts, mount, cgroup or user");
      }
      if (ns.path() != null && !ns.path().isEmpty()) {
        throw new OciBundleException(bundle, "linux.namespaces", "joining the existing " + ns.type()
            + " namespace " + ns.path() + " is not supported: minke-init only creates new namespaces",
            "drop \"path\" to get a new " + ns.type() + " namespace, or run this bundle with runc");
      }
      if (!seen.add(ns.type())) {
        throw new OciBundleException(bundle, "linux.namespaces", "namespace \"" + ns.type() + "\" given twice", "");
      }
    }
    if (!seen.contains("mount")) {
      throw new OciBundleException(bundle, "linux.namespaces", "linux.namespaces has no mount namespace",
          "add {\"type\": \"mount\"}: minke-init always pivots into the root filesystem in a new one");
    }
    return new RuntimeSpec.Linux(
        linux.namespaces().stream().map(n -> RuntimeSpec.Namespace.of(NAMESPACES.get(n.type()))).toList(),
        linux.uidMappings(), linux.gidMappings(), linux.resources(), linux.cgroupsPath(), linux.maskedPaths(),
        linux.readonlyPaths(), linux.rootfsPropagation(), linux.sysctl(), linux.seccomp());
  }

  private static RuntimeSpec.Process process(Path bundle, RuntimeSpec.Process p) {
    if (p == null || p.args().isEmpty()) {
      throw new OciBundleException(bundle, "process.args", "config.json in " + bundle + " has no process.args",
          "set process.args to the program and its arguments");
    }
    if (p.terminal()) {
      throw new OciBundleException(bundle, "process.terminal", "process.terminal is true, but Minke has no"
          + " console socket", "set \"terminal\": false; the container then uses the caller's stdio");
    }
    String cwd = p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd();
    if (!cwd.startsWith("/")) {
      throw new OciBundleException(bundle, "process.cwd", "process.cwd \"" + cwd + "\" is not absolute", "");
    }
    RuntimeSpec.User user = p.user() == null ? new RuntimeSpec.User(0, 0, List.of()) : p.user();
    return new RuntimeSpec.Process(false, user, p.args(), p.env(), cwd, p.capabilities(), p.rlimits(),
        p.noNewPrivileges());
  }

  /** One config.json mount as {@code DEST|TYPE|SOURCE|OPTIONS}, or null when skipped. */
  static String mountRecord(Path bundle, RuntimeSpec.Mount mount, boolean cgroupV2, List<String> warnings) {
    if (mount.destination() == null || mount.destination().isEmpty()) {
      throw new OciBundleException(bundle, "mounts", "a mount has no destination", "");
    }
    String dest = Path.of("/").resolve(mount.destination()).normalize().toString();
    if (STANDARD_MOUNTS.contains(dest)) {
      return null;
    }
    List<String> options = new ArrayList<>();
    for (String option : mount.options()) {
      String mapped = OPTION_MAP.getOrDefault(option, option);
      if (!mapped.isEmpty()) {
        options.add(mapped);
      }
    }
    String type = mount.type() == null ? "" : mount.type();
    String source = mount.source() == null ? "" : mount.source();
    if (type.equals("bind") || options.contains("bind") || options.contains("rbind")) {
      type = "bind";
      source = bundle.resolve(source).normalize().toString(); // runc resolves it in the bundle
    } else if (type.equals("cgroup") || type.equals("cgroup2")) {
      if (!cgroupV2) {
        warnings.add("mount " + dest + ": cgroup v1 hierarchies are not mounted in the container");
        return null;
      }
      type = "cgroup2";
      source = "cgroup2";
    } else if (type.isEmpty() || type.equals("none")) {
      throw new OciBundleException(bundle, "mounts", "mount " + dest + " has no type and is not a bind mount",
          "give \"type\" (tmpfs, proc, …) or the option \"bind\"/\"rbind\"");
    }
    for (String field : List.of(dest, type, source)) {
      if (field.indexOf('|') >= 0) {
        throw new OciBundleException(bundle, "mounts", "mount field \"" + field + "\" contains `|`",
            "minke-init separates mount fields with `|`; rename the path");
      }
    }
    return dest + "|" + type + "|" + source + "|" + String.join(",", options);
  }

  private static void checkUnsupported(Path bundle, JsonNode tree, List<String> warnings) {
    JsonNode hooks = tree.path("hooks");
    if (hooks.isObject() && hooks.size() > 0) {
      throw new OciBundleException(bundle, "hooks", "config.json has hooks (" + String.join(", ",
          iterable(hooks.fieldNames())) + "), which Minke does not run", "remove them, or run this bundle with runc");
    }
    checkCapabilities(tree.path("process").path("capabilities"), warnings);
    JsonNode linux = tree.path("linux");
    for (String field : List.of("sysctl", "devices", "cgroupsPath", "seccomp", "rootfsPropagation")) {
      if (given(linux.path(field))) {
        warnings.add("linux." + field + " is not applied as given" + (field.equals("seccomp")
            ? ": Minke applies Docker's default seccomp profile instead"
            : field.equals("cgroupsPath") ? ": the cgroup is minke/<id>" : ""));
      }
    }
  }

  // minke-init gives the process one capability set: bounding = permitted = effective, and empty
  // inheritable and ambient sets (CVE-2022-29162). A bundle asking for more is told so.
  private static void checkCapabilities(JsonNode caps, List<String> warnings) {
    for (String set : List.of("inheritable", "ambient")) {
      if (given(caps.path(set))) {
        warnings.add("process.capabilities." + set + " is not applied: Minke leaves the inheritable and ambient "
            + "sets empty (CVE-2022-29162)");
      }
    }
    java.util.Set<String> bounding = names(caps.path("bounding"));
    for (String set : List.of("effective", "permitted")) {
      if (caps.has(set) && !names(caps.path(set)).equals(bounding)) {
        warnings.add("process.capabilities." + set + " is not applied as given: it is the bounding set");
      }
    }
  }

  private static java.util.Set<String> names(JsonNode array) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static boolean given(JsonNode node) {
    return node.isContainerNode() ? node.size() > 0 : !node.isMissingNode() && !node.asText().isEmpty();
  }

  private static Map<String, String> annotations(JsonNode tree) {
    Map<String, String> out = new LinkedHashMap<>();
    tree.path("annotations").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return Collections.unmodifiableMap(out);
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }
}
