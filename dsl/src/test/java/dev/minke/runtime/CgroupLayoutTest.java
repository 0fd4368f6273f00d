package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

  // A systemd machine on pure cgroup v2, a terminal in the user's session.
  static final String PURE_V2_MOUNTINFO =
      """
      22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
      24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
      27 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
      28 24 0:27 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:10 - pstore pstore rw
      """;
  static final String PURE_V2_CGROUP =
      "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope\n";

  // This machine: tmpfs with one v1 mount per controller (cpu and cpuacct apart), cgroup2 at unified.
  static final String HYBRID_MOUNTINFO =
      """
      31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
      34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
      35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
      37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
      38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
      39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;
  static final String HYBRID_CGROUP =
      """
      9:name=systemd:/
      8:pids:/
      7:blkio:/
      6:freezer:/
      5:devices:/
      4:memory:/process_api/8f1088ad8c3e2dee1fff384a36b84966
      3:cpuset:/
      2:cpuacct:/
      1:cpu:/
      0::/
      """;

  // An older v1-only machine (CentOS 7 style): cpu,cpuacct co-mounted, no cgroup2.
  static final String V1_MOUNTINFO =
      """
      25 18 0:21 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
      26 25 0:22 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
      29 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpu,cpuacct
      30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory
      31 25 0:27 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,pids
      32 25 0:28 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,freezer
      33 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,net_prio,net_cls
      """;
  static final String V1_CGROUP =
      """
      11:freezer:/
      8:pids:/system.slice/sshd.service
      7:memory:/system.slice/sshd.service
      4:cpu,cpuacct:/system.slice/sshd.service
      1:name=systemd:/system.slice/sshd.service
      """;

  @Test
  void parse_pureV2_unifiedOnlyWithOwnPath() {
    CgroupLayout layout = CgroupLayout.parse(PURE_V2_MOUNTINFO, PURE_V2_CGROUP);

    assertEquals(CgroupLayout.Kind.V2, layout.kind());
    assertEquals(Optional.of(Path.of("/sys/fs/cgroup")), layout.unifiedMount());
    assertTrue(layout.controllerMounts().isEmpty());
    assertEquals(
        "/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope",
        layout.ownUnifiedCgroup().orElseThrow());
  }

  @Test
  void parse_hybrid_separateCpuAndCpuacctMounts() {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);

    assertEquals(CgroupLayout.Kind.HYBRID, layout.kind());
    assertEquals(Path.of("/sys/fs/cgroup/cpu"), layout.controllerMounts().get("cpu"));
    assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), layout.controllerMounts().get("cpuacct"));
    assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.controllerMounts().get("memory"));
    assertEquals(Path.of("/sys/fs/cgroup/pids"), layout.controllerMounts().get("pids"));
    assertEquals(Path.of("/sys/fs/cgroup/freezer"), layout.controllerMounts().get("freezer"));
    assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), layout.unifiedMount());
    assertEquals("/process_api/8f1088ad8c3e2dee1fff384a36b84966", layout.ownCgroup("memory").orElseThrow());
    assertEquals("/", layout.ownUnifiedCgroup().orElseThrow());
  }

  @Test
  void parse_hybrid_namedHierarchyIsNoController() {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);

    assertFalse(layout.controllerMounts().containsKey("name=systemd"));
    assertFalse(layout.controllerMounts().containsValue(Path.of("/sys/fs/cgroup/systemd")));
  }

  @Test
  void parse_v1Only_coMountedCpuCpuacct() {
    CgroupLayout layout = CgroupLayout.parse(V1_MOUNTINFO, V1_CGROUP);

    assertEquals(CgroupLayout.Kind.V1, layout.kind());
    assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.controllerMounts().get("cpu"));
    assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.controllerMounts().get("cpuacct"));
    assertEquals(Path.of("/sys/fs/cgroup/net_cls,net_prio"), layout.controllerMounts().get("net_cls"));
    assertEquals(Optional.empty(), layout.unifiedMount());
    assertEquals("/system.slice/sshd.service", layout.ownCgroup("cpuacct").orElseThrow());
    assertEquals(Optional.empty(), layout.ownUnifiedCgroup());
  }

  @Test
  void parse_noCgroupMounts_none() {
    CgroupLayout layout =
        CgroupLayout.parse("22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n", "");

    assertEquals(CgroupLayout.Kind.NONE, layout.kind());
  }

  @Test
  void parse_escapedMountPoint_unescaped() {
    String mountinfo = "27 24 0:26 / /run/my\\040cgroups rw,relatime - cgroup2 cgroup2 rw\n";

    CgroupLayout layout = CgroupLayout.parse(mountinfo, "0::/\n");

    assertEquals(Optional.of(Path.of("/run/my cgroups")), layout.unifiedMount());
  }

  @Test
  void resolve_v2AsRoot_parentIsMount() {
    CgroupLayout layout = CgroupLayout.parse(PURE_V2_MOUNTINFO, PURE_V2_CGROUP);

    Cgroups cgroups = Cgroups.resolve(layout, true, p -> true, CgroupFs.KERNEL, 4);

    assertTrue(cgroups.available());
    assertTrue(cgroups.describe().contains("new cgroups: /sys/fs/cgroup/minke/<name>"), cgroups.describe());
  }

  @Test
  void resolve_v2NotRoot_delegatedUserService() {
    CgroupLayout layout = CgroupLayout.parse(PURE_V2_MOUNTINFO, PURE_V2_CGROUP);
    Path delegated = Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service");

    Cgroups cgroups = Cgroups.resolve(layout, false, p -> p.startsWith(delegated), CgroupFs.KERNEL, 4);

    assertTrue(cgroups.available());
    assertTrue(cgroups.describe().contains("new cgroups: " + delegated + "/minke/<name>"), cgroups.describe());
  }

  @Test
  void delegatedParent_onlyOwnCgroupWritable_none() {
    Path own = Path.of("/sys/fs/cgroup/user.slice/u.scope");

    assertNull(Cgroups.delegatedParent(Path.of("/sys/fs/cgroup"), "/user.slice/u.scope", p -> p.startsWith(own)));
  }

  @Test
  void resolve_v2NotRootNoDelegation_unavailable() {
    CgroupLayout layout = CgroupLayout.parse(PURE_V2_MOUNTINFO, PURE_V2_CGROUP);

    Cgroups cgroups = Cgroups.resolve(layout, false, p -> false, CgroupFs.KERNEL, 4);

    assertFalse(cgroups.available());
    assertTrue(cgroups.unavailableReason().orElseThrow().contains("no writable cgroup v2 subtree"));
  }

  @Test
  void resolve_hybridNotWritable_unavailable() {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);

    Cgroups cgroups = Cgroups.resolve(layout, false, p -> false, CgroupFs.KERNEL, 4);

    assertFalse(cgroups.available());
    assertTrue(cgroups.unavailableReason().orElseThrow().contains("/sys/fs/cgroup/memory"));
  }

  @Test
  void resolve_hybridAsRoot_available() {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);

    Cgroups cgroups = Cgroups.resolve(layout, true, p -> true, CgroupFs.KERNEL, 4);

    assertTrue(cgroups.available());
    String text = cgroups.describe();
    assertTrue(text.startsWith("cgroup v1/v2 hybrid"), text);
    assertTrue(text.contains("memory → /sys/fs/cgroup/memory, this JVM in /process_api/"), text);
  }

  @Test
  void layout_copiesMaps() {
    var mounts = new java.util.HashMap<String, Path>(Map.of("memory", Path.of("/m")));
    CgroupLayout layout = new CgroupLayout(CgroupLayout.Kind.V1, mounts, Optional.empty(), Map.of());

    mounts.clear();

    assertEquals(Path.of("/m"), layout.controllerMounts().get("memory"));
  }
}
