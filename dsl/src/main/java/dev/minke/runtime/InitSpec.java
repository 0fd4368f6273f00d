package dev.minke.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns a runtime spec into minke-init's input: NUL-terminated {@code key=value} records
 * (dsl/src/main/c/README.md, "Protocol"). Only what minke-init understands is written; the
 * cgroups were made by Java and are joined through their {@code cgroup.procs} files, and on
 * cgroup v2 minke-init attaches the device filter to the container's cgroup directory.
 */
final class InitSpec {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private InitSpec() {}

  static byte[] encode(
      RuntimeSpec spec, RootfsPlan rootfs, List<Path> cgroupProcs, Optional<Path> deviceFilterDir) {
    InitSpec records = new InitSpec();
    records.rootfs(rootfs);
    records.container(spec, cgroupProcs, deviceFilterDir, "default");
    records.extraMounts(spec.mounts());
    return records.out.toByteArray();
  }

  /**
   * The spec's mounts other than Docker's standard ones, which minke-init makes itself, as
   * {@code mount=DEST|TYPE|SOURCE|OPTIONS} records; minke-init mounts them after its own.
   */
  private void extraMounts(List<RuntimeSpec.Mount> mounts) {
    List<RuntimeSpec.Mount> standard = DockerDefaults.mounts();
    for (RuntimeSpec.Mount mount : mounts) {
      if (!standard.contains(mount)) {
        put("mount", mountRecord(mount));
      }
    }
  }

  static String mountRecord(RuntimeSpec.Mount mount) {
    String type = mount.type() == null ? "" : mount.type();
    String source = mount.source() == null ? "" : mount.source();
    for (String field : List.of(mount.destination(), type, source, String.join(",", mount.options()))) {
      if (field.indexOf('|') >= 0) {
        throw new IllegalArgumentException("mount field \"" + field + "\" contains `|`, which minke-init cannot take");
      }
    }
    return mount.destination() + "|" + type + "|" + source + "|" + String.join(",", mount.options());
  }

  /**
   * The spec of a container on a ready root filesystem directory ({@code rootfs=}, e.g. an OCI
   * bundle's), with the seccomp profile {@code default} or {@code none}. Callers append the keys
   * this class does not write with {@link #record}.
   */
  static byte[] encode(
      RuntimeSpec spec, Path rootfsDir, List<Path> cgroupProcs, Optional<Path> deviceFilterDir,
      String seccomp) {
    InitSpec records = new InitSpec();
    records.put("rootfs", rootfsDir.toString());
    records.container(spec, cgroupProcs, deviceFilterDir, seccomp);
    return records.out.toByteArray();
  }

  /** One {@code key=value} record, NUL-terminated, to append to an encoded spec. */
  static byte[] record(String key, String value) {
    InitSpec records = new InitSpec();
    records.put(key, value);
    return records.out.toByteArray();
  }

  private void container(
      RuntimeSpec spec, List<Path> cgroupProcs, Optional<Path> deviceFilterDir, String seccomp) {
    put("readonly", spec.root().readonly() ? "1" : null);
    put("hostname", spec.hostname());
    process(spec.process());
    RuntimeSpec.Linux linux = spec.linux();
    linux.namespaces().forEach(ns -> put("ns", initName(ns.type())));
    linux.uidMappings().forEach(m -> put("uidmap", m.containerID() + " " + m.hostID() + " " + m.size()));
    linux.gidMappings().forEach(m -> put("gidmap", m.containerID() + " " + m.hostID() + " " + m.size()));
    linux.maskedPaths().forEach(p -> put("mask", p));
    linux.readonlyPaths().forEach(p -> put("readonly_path", p));
    cgroupProcs.forEach(p -> put("cgroup", p.toString()));
    deviceFilter(linux, deviceFilterDir);
    put("seccomp", seccomp);
    put("init", spec.hasInit() ? "1" : null);
  }

  /**
   * The cgroup v2 device filter, except in a user namespace (rootless), as runc skips it there:
   * the kernel refuses mknod of a real device to anyone without CAP_MKNOD in the initial user
   * namespace, and an unprivileged user may not load BPF programs at all.
   */
  private void deviceFilter(RuntimeSpec.Linux linux, Optional<Path> deviceFilterDir) {
    if (deviceFilterDir.isEmpty() || linux.namespaces().stream().anyMatch(ns -> ns.type().equals("user"))) {
      return;
    }
    put("device_filter", deviceFilterDir.get().toString());
    DeviceRules.DOCKER_DEFAULT.forEach(rule -> put("device_allow", rule));
  }

  /**
   * The spec of an exec ({@code join=PID}): the process part only, since the container's
   * filesystem, hostname and namespaces exist already; the same seccomp profile as at start.
   */
  static byte[] encodeExec(RuntimeSpec.Process process, long containerPid, List<Path> cgroupProcs) {
    InitSpec records = new InitSpec();
    records.put("join", Long.toString(containerPid));
    records.process(process);
    cgroupProcs.forEach(p -> records.put("cgroup", p.toString()));
    records.put("seccomp", "default");
    return records.out.toByteArray();
  }

  private void process(RuntimeSpec.Process process) {
    put("cwd", process.cwd());
    process.args().forEach(a -> put("arg", a));
    process.env().forEach(e -> put("env", e));
    put("uid", Long.toString(process.user().uid()));
    put("gid", Long.toString(process.user().gid()));
    process.user().additionalGids().forEach(g -> put("group", Long.toString(g)));
    if (process.capabilities() != null) {
      process.capabilities().bounding().forEach(c -> put("cap", c));
    }
    put("no_new_privs", process.noNewPrivileges() ? "1" : null);
    process.rlimits().forEach(r -> put("rlimit", r.type() + ":" + r.soft() + ":" + r.hard()));
  }

  private void rootfs(RootfsPlan rootfs) {
    put("overlay.dir", rootfs.overlayDir().toString());
    rootfs.lowers().forEach(l -> put("overlay.lower", l));
    put("overlay.upper", rootfs.upper().toString());
    put("overlay.work", rootfs.work().toString());
    put("overlay.target", rootfs.target().toString());
  }

  /** The runtime-spec namespace name as minke-init spells it ({@code network} is {@code net}). */
  private static String initName(String type) {
    return type.equals("network") ? "net" : type;
  }

  private void put(String key, String value) {
    if (value == null) {
      return;
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(key + " must not contain a NUL character");
    }
    out.writeBytes((key + "=" + value).getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
