package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real cgroups on this machine, as root: limits written, a process joined, OOM kill, a fork bomb
 * held at pids.max, killAll and remove. Every cgroup is named {@code it-<run>-…} so that the
 * leftover check only looks at this run's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CgroupIT {
  private static final long MIB = 1024 * 1024;
  private static final String RUN = "it-" + UUID.randomUUID().toString().substring(0, 8);

  private static Cgroups cgroups;
  private final List<CgroupHandle> handles = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void detect() {
    cgroups = Cgroups.detect();
    assumeTrue(cgroups.available(), "cgroups not available here: " + cgroups.describe());
    System.out.println(cgroups.describe());
  }

  @BeforeEach
  void needRoot() throws IOException {
    assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"), "needs root");
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    for (CgroupHandle handle : handles) {
      try {
        handle.killAll(Signals.SIGKILL);
      } finally {
        handle.remove();
      }
    }
  }

  @AfterAll
  static void nothingLeftBehind() {
    if (cgroups != null && cgroups.available()) {
      List<String> leftovers = Cgroups.leftovers();
      assertEquals(
          List.of(), leftovers.stream().filter(dir -> dir.contains(RUN)).toList(), "leftovers " + leftovers);
    }
  }

  private CgroupHandle create(String suffix, RuntimeSpec.Resources limits) {
    CgroupHandle handle = cgroups.create(RUN + "-" + suffix, limits);
    handles.add(handle);
    return handle;
  }

  private static RuntimeSpec.Resources limits(Long memory, Long quota, Long pids) {
    return new RuntimeSpec.Resources(
        memory == null ? null : new RuntimeSpec.Memory(memory),
        quota == null ? null : new RuntimeSpec.Cpu(quota, 100_000L),
        pids == null ? null : new RuntimeSpec.Pids(pids));
  }

  private boolean v2() {
    return cgroups.layout().kind() == CgroupLayout.Kind.V2;
  }

  private Path dir(CgroupHandle handle, String controller) {
    Path mount = cgroups.layout().controllerMounts().get(controller);
    return v2() ? handle.primaryDir().orElseThrow() : mount.resolve("minke").resolve(handle.name());
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }

  // A shell that first puts itself into every cgroup, then execs the workload, so that the
  // workload is limited from its first instruction.
  private Process startInside(CgroupHandle handle, String workload) throws IOException {
    String join =
        handle.procsFiles().stream()
            .map(file -> "echo $$ > " + file + " || exit 99")
            .collect(Collectors.joining("; "));
    Process process =
        new ProcessBuilder("sh", "-c", join + "; exec " + workload)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(process);
    return process;
  }

  @Test
  void create_withLimits_writesControlFiles() throws IOException {
    CgroupHandle handle = create("limits", limits(64 * MIB, 50_000L, 32L));

    if (v2()) {
      Path dir = handle.primaryDir().orElseThrow();
      assertEquals("67108864", read(dir.resolve("memory.max")));
      assertEquals("50000 100000", read(dir.resolve("cpu.max")));
      assertEquals("32", read(dir.resolve("pids.max")));
    } else {
      Path memory = dir(handle, "memory");
      assertEquals(Path.of("/sys/fs/cgroup/memory/minke", handle.name()), memory);
      assertEquals("67108864", read(memory.resolve("memory.limit_in_bytes")));
      assertEquals("67108864", read(memory.resolve("memory.memsw.limit_in_bytes")));
      assertEquals("100000", read(dir(handle, "cpu").resolve("cpu.cfs_period_us")));
      assertEquals("50000", read(dir(handle, "cpu").resolve("cpu.cfs_quota_us")));
      assertEquals("32", read(dir(handle, "pids").resolve("pids.max")));
      assertTrue(Files.isDirectory(dir(handle, "freezer")));
      assertTrue(Files.isDirectory(dir(handle, "cpuacct")));
    }
    assertFalse(handle.oomKilled());
  }

  @Test
  void procsFiles_sleepJoins_procCgroupShowsIt() throws Exception {
    CgroupHandle handle = create("sleep", limits(64 * MIB, null, 16L));
    Process sleep = new ProcessBuilder("sleep", "60").start();
    processes.add(sleep);

    for (Path procs : handle.procsFiles()) {
      Files.writeString(procs, Long.toString(sleep.pid()));
    }

    String procCgroup = Files.readString(Path.of("/proc", Long.toString(sleep.pid()), "cgroup"));
    String expected = "/minke/" + handle.name();
    if (v2()) {
      assertTrue(procCgroup.contains("0::" + expected), procCgroup);
    } else {
      for (String controller : List.of("memory", "pids", "cpu", "freezer")) {
        assertTrue(procCgroup.matches("(?s).*:" + controller + ":" + expected + "\n.*"), procCgroup);
      }
    }
    CgroupHandle.Stats stats = handle.stats();
    assertEquals(1, stats.pidsCurrent().orElseThrow());
    assertTrue(stats.memoryCurrentBytes().isPresent());
    assertTrue(stats.cpuUsageMicros().isPresent());
    assertEquals(List.of(), handle.procsFiles().stream().filter(f -> !Files.exists(f)).toList());
  }

  @Test
  void killAll_sigkill_emptiesCgroupThenRemoveLeavesNoDir() throws Exception {
    CgroupHandle handle = create("kill", null);
    Process first = startInside(handle, "sleep 60");
    Process second = startInside(handle, "sleep 60");
    waitForPids(handle, 2);

    handle.killAll(Signals.SIGKILL);

    assertTrue(first.waitFor(5, TimeUnit.SECONDS));
    assertTrue(second.waitFor(5, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue());
    for (Path procs : handle.procsFiles()) {
      assertEquals("", read(procs), procs.toString());
    }
    handle.remove();
    for (Path procs : handle.procsFiles()) {
      assertFalse(Files.exists(procs.getParent()), procs.getParent().toString());
    }
  }

  @Test
  void killAll_sigterm_reachesEveryProcess() throws Exception {
    CgroupHandle handle = create("term", null);
    Process sleep = startInside(handle, "sleep 60");
    waitForPids(handle, 1);

    handle.killAll(15);

    assertTrue(sleep.waitFor(5, TimeUnit.SECONDS));
    assertEquals(128 + 15, sleep.exitValue());
  }

  @Test
  void memoryHog_in16MiB_oomKilled() throws Exception {
    CgroupHandle handle = create("oom", limits(16 * MIB, null, 16L));

    // tail keeps the last lines; /dev/zero has no newline, so its buffer grows without bound.
    Process hog = startInside(handle, "tail /dev/zero");

    assertTrue(hog.waitFor(30, TimeUnit.SECONDS), "the hog should have been killed");
    assertEquals(128 + 9, hog.exitValue());
    assertTrue(handle.oomKilled());
    assertTrue(handle.stats().memoryPeakBytes().orElse(0) <= 16 * MIB + 4096);
  }

  @Test
  void forkBomb_heldAtPidsMax_thenKilled() throws Exception {
    CgroupHandle handle = create("bomb", limits(64 * MIB, 50_000L, 16L));

    startInside(handle, "sh -c 'f(){ f|f& }; f'");
    long deadline = System.currentTimeMillis() + 10_000;
    Path pidsEvents = dir(handle, "pids").resolve("pids.events");
    while (CgroupFiles.readKey(CgroupFs.KERNEL, pidsEvents, "max").orElse(0) == 0
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }

    try {
      assertTrue(CgroupFiles.readKey(CgroupFs.KERNEL, pidsEvents, "max").orElse(0) > 0, "pids.max was never hit");
      assertTrue(handle.stats().pidsCurrent().orElseThrow() <= 16);
    } finally {
      handle.killAll(Signals.SIGKILL);
    }
    assertEquals(Set.of(), CgroupFiles.pids(CgroupFs.KERNEL, handle.procsFiles()));
    // pids.current still counts the orphans' zombies until init reaps them.
    deadline = System.currentTimeMillis() + 10_000;
    while (handle.stats().pidsCurrent().orElseThrow() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, handle.stats().pidsCurrent().orElseThrow());
    handle.remove();
    assertFalse(Files.exists(handle.primaryDir().orElseThrow()));
  }

  @Test
  void create_moreCpusThanMachine_throwsAndMakesNothing() {
    int cpus = Cgroups.onlineCpus();

    CgroupException e =
        assertThrows(
            CgroupException.class, () -> create("cpus", limits(null, (cpus + 1) * 100_000L, null)));

    assertEquals("cpu", e.controller());
    assertTrue(Cgroups.leftovers().stream().noneMatch(dir -> dir.endsWith(RUN + "-cpus")));
  }

  @Test
  void create_existingName_throwsAndKeepsTheFirst() {
    CgroupHandle first = create("twice", null);

    assertThrows(CgroupException.class, () -> cgroups.create(first.name(), null));

    assertTrue(Files.isDirectory(first.primaryDir().orElseThrow()));
  }

  @Test
  void close_killsAndRemoves() throws Exception {
    CgroupHandle handle = cgroups.create(RUN + "-close", limits(32 * MIB, null, 8L));
    Process sleep;
    try (handle) {
      sleep = startInside(handle, "sleep 60");
      waitForPids(handle, 1);
    }

    assertTrue(sleep.waitFor(5, TimeUnit.SECONDS));
    assertTrue(Cgroups.leftovers().stream().noneMatch(dir -> dir.endsWith(RUN + "-close")));
  }

  @Test
  void leftovers_listsLiveCgroup() {
    CgroupHandle handle = create("listed", null);

    assertTrue(
        Cgroups.leftovers().contains(handle.primaryDir().orElseThrow().toString()),
        Cgroups.leftovers().toString());
  }

  private static void waitForPids(CgroupHandle handle, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (CgroupFiles.pids(CgroupFs.KERNEL, handle.procsFiles()).size() < count
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(count, CgroupFiles.pids(CgroupFs.KERNEL, handle.procsFiles()).size());
  }
}
