package dev.minke.runtime;

import java.util.List;

/**
 * What a default {@code docker run} container gets (research §2.1, moby's
 * daemon/pkg/oci/defaults.go), as data: capabilities, mounts, masked and read-only paths.
 */
public final class DockerDefaults {
  private DockerDefaults() {}

  /** Docker's 14 default capabilities (bounding = permitted = effective). */
  public static final List<String> CAPABILITIES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** Paths hidden from the container: a file gets /dev/null over it, a directory an empty tmpfs. */
  public static final List<String> MASKED_PATHS = List.of(
      "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
      "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware");

  /** Paths the container may read but not write. */
  public static final List<String> READONLY_PATHS = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** The search path Docker gives a container whose image sets none. */
  public static final String PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The namespaces of a root container; rootless adds {@code user}. */
  public static final List<String> NAMESPACES = List.of("pid", "network", "ipc", "uts", "mount", "cgroup");

  /** /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and a read-only /sys, with Docker's options. */
  public static List<RuntimeSpec.Mount> mounts() {
    return List.of(
        new RuntimeSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
        new RuntimeSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        new RuntimeSpec.Mount("/dev/pts", "devpts", "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
        new RuntimeSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        new RuntimeSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        new RuntimeSpec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
  }
}
