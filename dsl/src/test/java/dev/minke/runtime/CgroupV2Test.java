package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v2 code path against a fake cgroup2 tree of plain files (see {@link FakeCgroupFs}). */
class CgroupV2Test {
  private static final long MIB = 1024 * 1024;

  @TempDir Path root;

  private Cgroups cgroups(String controllers, boolean swap) throws IOException {
    FakeCgroupFs.makeRoot(root, controllers);
    return Cgroups.v2At(root, new FakeCgroupFs(swap), 2);
  }

  private static RuntimeSpec.Resources limits(Long memory, Long quota, Long pids) {
    return new RuntimeSpec.Resources(
        memory == null ? null : new RuntimeSpec.Memory(memory),
        quota == null ? null : new RuntimeSpec.Cpu(quota, 100_000L),
        pids == null ? null : new RuntimeSpec.Pids(pids));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }

  @Test
  void create_withLimits_writesV2Files() throws IOException {
    Cgroups cgroups = cgroups("cpuset cpu io memory hugetlb pids rdma misc", true);

    CgroupHandle handle = cgroups.create("web", limits(64 * MIB, 50_000L, 32L));

    Path dir = root.resolve("minke/web");
    assertEquals(Optional.of(dir), handle.primaryDir());
    assertEquals(List.of(dir.resolve("cgroup.procs")), handle.procsFiles());
    assertEquals("67108864", read(dir.resolve("memory.max")));
    assertEquals("0", read(dir.resolve("memory.swap.max")));
    assertEquals("50000 100000", read(dir.resolve("cpu.max")));
    assertEquals("32", read(dir.resolve("pids.max")));
  }

  @Test
  void create_enablesControllersInBothParents() throws IOException {
    Cgroups cgroups = cgroups("cpuset cpu io memory pids", true);

    cgroups.create("web", null);

    assertEquals("memory pids cpu", read(root.resolve("cgroup.subtree_control")));
    assertEquals("memory pids cpu", read(root.resolve("minke/cgroup.subtree_control")));
    assertEquals("memory pids cpu", read(root.resolve("minke/web/cgroup.controllers")));
  }

  @Test
  void create_noLimits_leavesDefaults() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);

    cgroups.create("web", null);

    assertEquals("max", read(root.resolve("minke/web/memory.max")));
    assertEquals("max", read(root.resolve("minke/web/pids.max")));
    assertEquals("max 100000", read(root.resolve("minke/web/cpu.max")));
  }

  @Test
  void create_noSwapAccounting_skipsSwapMax() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", false);

    cgroups.create("web", limits(64 * MIB, null, null));

    assertEquals("67108864", read(root.resolve("minke/web/memory.max")));
    assertFalse(Files.exists(root.resolve("minke/web/memory.swap.max")));
  }

  @Test
  void create_secondParentAlreadyEnabled_noRewrite() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    cgroups.create("one", null);

    cgroups.create("two", limits(null, null, 8L));

    assertEquals("8", read(root.resolve("minke/two/pids.max")));
  }

  @Test
  void create_memoryLimitWithoutMemoryController_throwsNamingController() throws IOException {
    Cgroups cgroups = cgroups("cpu pids", true);

    CgroupException e =
        assertThrows(CgroupException.class, () -> cgroups.create("web", limits(64 * MIB, null, null)));

    assertEquals("memory", e.controller());
    assertEquals(Optional.of(root.resolve("cgroup.controllers")), e.file());
    assertTrue(e.hint().contains("Delegate=yes"), e.hint());
    assertFalse(Files.exists(root.resolve("minke/web")));
  }

  @Test
  void create_noMemoryControllerNoMemoryLimit_works() throws IOException {
    Cgroups cgroups = cgroups("cpu pids", true);

    CgroupHandle handle = cgroups.create("web", limits(null, 20_000L, 10L));

    assertEquals("20000 100000", read(root.resolve("minke/web/cpu.max")));
    assertEquals(OptionalLong.empty(), handle.stats().memoryCurrentBytes());
    assertFalse(handle.oomKilled());
  }

  @Test
  void create_moreCpusThanMachine_throws() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);

    CgroupException e =
        assertThrows(CgroupException.class, () -> cgroups.create("web", limits(null, 300_000L, null)));

    assertEquals("cpu", e.controller());
    assertTrue(e.getMessage().contains("3.00 CPUs but this machine has only 2"), e.getMessage());
    assertTrue(e.hint().contains("0.01 to 2.00"), e.hint());
    assertFalse(Files.exists(root.resolve("minke/web")));
  }

  @Test
  void create_quotaBelowKernelMinimum_throws() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);

    CgroupException e =
        assertThrows(CgroupException.class, () -> cgroups.create("web", limits(null, 500L, null)));

    assertEquals("cpu", e.controller());
  }

  @Test
  void create_existingName_throws() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    cgroups.create("web", null);

    CgroupException e = assertThrows(CgroupException.class, () -> cgroups.create("web", null));

    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(e.hint().contains("rmdir " + root.resolve("minke/web")), e.hint());
  }

  @Test
  void create_badName_rejected() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);

    assertThrows(IllegalArgumentException.class, () -> cgroups.create("../etc", null));
    assertThrows(IllegalArgumentException.class, () -> cgroups.create("a/b", null));
    assertThrows(IllegalArgumentException.class, () -> cgroups.create("", null));
  }

  @Test
  void stats_readsV2Files() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    CgroupHandle handle = cgroups.create("web", null);
    Path dir = root.resolve("minke/web");
    Files.writeString(dir.resolve("memory.current"), "1048576\n");
    Files.writeString(dir.resolve("memory.peak"), "2097152\n");
    Files.writeString(dir.resolve("pids.current"), "3\n");
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 12345\nuser_usec 10000\nsystem_usec 2345\n");

    CgroupHandle.Stats stats = handle.stats();

    assertEquals(OptionalLong.of(MIB), stats.memoryCurrentBytes());
    assertEquals(OptionalLong.of(2 * MIB), stats.memoryPeakBytes());
    assertEquals(OptionalLong.of(3), stats.pidsCurrent());
    assertEquals(OptionalLong.of(12345), stats.cpuUsageMicros());
  }

  @Test
  void oomKilled_readsMemoryEvents() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    CgroupHandle handle = cgroups.create("web", limits(16 * MIB, null, null));
    assertFalse(handle.oomKilled());

    Files.writeString(
        root.resolve("minke/web/memory.events"), "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n");

    assertTrue(handle.oomKilled());
  }

  @Test
  void killAll_usesCgroupKill() throws Exception {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    CgroupHandle handle = cgroups.create("web", null);
    // A real pid of our own, so that a wrong path could only ever signal our own sleep.
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(handle.procsFiles().get(0), sleep.pid() + "\n");

      handle.killAll(Signals.SIGKILL);

      assertEquals("", read(handle.procsFiles().get(0)));
      assertTrue(sleep.isAlive(), "the fake kernel's cgroup.kill kills nothing real");
    } finally {
      sleep.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void remove_removesDirAndIsIdempotent() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    CgroupHandle handle = cgroups.create("web", null);

    handle.remove();
    handle.remove();

    assertFalse(Files.exists(root.resolve("minke/web")));
    assertTrue(Files.isDirectory(root.resolve("minke")));
    assertEquals(List.of(), cgroups.leftoverDirs());
  }

  @Test
  void remove_withProcesses_throwsWithHint() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);
    CgroupHandle handle = cgroups.create("web", null);
    Files.writeString(handle.procsFiles().get(0), "4242\n");

    CgroupException e = assertThrows(CgroupException.class, handle::remove);

    assertTrue(e.hint().contains("killAll"), e.hint());
    assertEquals(List.of(root.resolve("minke/web").toString()), cgroups.leftoverDirs());
  }

  @Test
  void close_emptyCgroup_removes() throws IOException {
    Cgroups cgroups = cgroups("cpu memory pids", true);

    try (CgroupHandle handle = cgroups.create("web", limits(64 * MIB, null, 16L))) {
      assertTrue(Files.isDirectory(handle.primaryDir().orElseThrow()));
    }

    assertEquals(List.of(), cgroups.leftoverDirs());
  }

  @Test
  void unavailable_noLimits_runsWithoutCgroup() {
    CgroupLayout layout =
        CgroupLayout.parse(CgroupLayoutTest.PURE_V2_MOUNTINFO, CgroupLayoutTest.PURE_V2_CGROUP);
    Cgroups cgroups = Cgroups.resolve(layout, false, p -> false, new FakeCgroupFs(true), 2);

    CgroupHandle handle = cgroups.create("web", new RuntimeSpec.Resources(null, null, null));

    assertEquals(List.of(), handle.procsFiles());
    assertEquals(Optional.empty(), handle.primaryDir());
    assertEquals(CgroupHandle.Stats.NONE, handle.stats());
    handle.close();
  }

  @Test
  void unavailable_withLimits_throwsDelegationHint() {
    CgroupLayout layout =
        CgroupLayout.parse(CgroupLayoutTest.PURE_V2_MOUNTINFO, CgroupLayoutTest.PURE_V2_CGROUP);
    Cgroups cgroups = Cgroups.resolve(layout, false, p -> false, new FakeCgroupFs(true), 2);

    CgroupException e =
        assertThrows(CgroupException.class, () -> cgroups.create("web", limits(64 * MIB, null, null)));

    assertEquals("memory", e.controller());
    assertTrue(e.getMessage().contains("no writable cgroup v2 subtree"), e.getMessage());
    assertTrue(e.hint().contains("run as root or enable cgroup v2 delegation (systemd: Delegate=yes"), e.hint());
  }

  @Test
  void limits_zeroAndNegative_unlimited() {
    CgroupLimits limits =
        CgroupLimits.of(limits(0L, -1L, -1L), 1);

    assertFalse(limits.any());
  }
}
