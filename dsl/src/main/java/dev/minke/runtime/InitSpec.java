package dev.minke.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a runtime spec into minke-init's input: NUL-terminated {@code key=value} records
 * (dsl/src/main/c/README.md, "Protocol"). Only what minke-init understands is written; the
 * cgroups were made by Java and are joined through their {@code cgroup.procs} files.
 */
final class InitSpec {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private InitSpec() {}

  static byte[] encode(RuntimeSpec spec, RootfsPlan rootfs, List<Path> cgroupProcs) {
    InitSpec records = new InitSpec();
    records.rootfs(rootfs);
    records.put("readonly", spec.root().readonly() ? "1" : null);
    records.put("hostname", spec.hostname());
    RuntimeSpec.Process process = spec.process();
    records.put("cwd", process.cwd());
    process.args().forEach(a -> records.put("arg", a));
    process.env().forEach(e -> records.put("env", e));
    records.put("uid", Long.toString(process.user().uid()));
    records.put("gid", Long.toString(process.user().gid()));
    process.user().additionalGids().forEach(g -> records.put("group", Long.toString(g)));
    RuntimeSpec.Linux linux = spec.linux();
    linux.namespaces().forEach(ns -> records.put("ns", initName(ns.type())));
    linux.uidMappings().forEach(m -> records.put("uidmap", m.containerID() + " " + m.hostID() + " " + m.size()));
    linux.gidMappings().forEach(m -> records.put("gidmap", m.containerID() + " " + m.hostID() + " " + m.size()));
    if (process.capabilities() != null) {
      process.capabilities().bounding().forEach(c -> records.put("cap", c));
    }
    records.put("no_new_privs", process.noNewPrivileges() ? "1" : null);
    process.rlimits().forEach(r -> records.put("rlimit", r.type() + ":" + r.soft() + ":" + r.hard()));
    linux.maskedPaths().forEach(p -> records.put("mask", p));
    linux.readonlyPaths().forEach(p -> records.put("readonly_path", p));
    cgroupProcs.forEach(p -> records.put("cgroup", p.toString()));
    records.put("seccomp", "default");
    records.put("init", spec.hasInit() ? "1" : null);
    return records.out.toByteArray();
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
