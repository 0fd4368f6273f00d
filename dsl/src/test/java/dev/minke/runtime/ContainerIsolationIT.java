package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.image.Descriptor;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container is, checked from inside it (issue 3, "Done when"): its own PID namespace,
 * hostname, Docker's capabilities, masked and read-only paths, no_new_privs, limits that hold,
 * and only the image's files. Runs with the default backend; {@link RuncCrossCheckIT} runs the
 * same probes under runc.
 */
class ContainerIsolationIT {
  @TempDir static Path home;
  static Store store;
  static Descriptor busybox;
  /** The containers this class ran: other test runs on the machine may have their own cgroups. */
  static final Set<String> ids = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void makeStore() {
    ids.clear();
    store = TestStores.withBusybox(home);
    busybox = store.require(BusyboxImage.NAME);
  }

  @AfterAll
  static void nothingLeftBehind() throws IOException {
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), ours(Cgroups.leftovers()), "cgroups were left behind");
  }

  /** The cgroup directories (or anything else) named after one of this class's containers. */
  static List<String> ours(List<String> paths) {
    return paths.stream().filter(p -> ids.stream().anyMatch(p::contains)).toList();
  }

  RunResult run(RunOptions options, String... command) {
    RunResult r = new Containers(store).run(busybox, "busybox", options.withCommand(List.of(command)),
        OutputListener.NONE, true);
    ids.add(r.containerId());
    return r;
  }

  RunResult sh(String script) {
    return run(RunOptions.defaults(), "sh", "-c", script);
  }

  @Test
  void pid1_isTheCommand_andNoHostProcessIsVisible() {
    RunResult r = sh("echo $$; ps -o pid,comm");
    List<String> lines = r.stdout().lines().toList();
    assertEquals("1", lines.get(0), r.output());
    assertFalse(r.stdout().contains("java"), r.stdout());
    assertTrue(lines.size() <= 4, "only the container's processes: " + r.stdout());
  }

  @Test
  void hostname_isTheContainers() {
    assertEquals("box\n", run(RunOptions.defaults().withHostname("box"), "hostname").stdout());
  }

  @Test
  void capabilities_areDockersDefault14_andNothingInheritable() {
    String status = sh("grep -E '^Cap(Eff|Prm|Bnd|Inh|Amb)' /proc/self/status").stdout();
    assertTrue(status.contains("CapEff:\t00000000a80425fb"), status);
    assertTrue(status.contains("CapBnd:\t00000000a80425fb"), status);
    assertTrue(status.contains("CapInh:\t0000000000000000"), status);
    assertTrue(status.contains("CapAmb:\t0000000000000000"), status);
  }

  @Test
  void noNewPrivs_andSeccomp_areOn() {
    String status = sh("grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status").stdout();
    assertTrue(status.contains("NoNewPrivs:\t1"), status);
    assertTrue(status.contains("Seccomp:\t2"), status);
  }

  @Test
  void seccomp_refusesWhatDockersProfileRefuses() {
    // A user namespace needs no capability, so only the seccomp filter stops this.
    RunResult r = sh("unshare -U true; echo $?");
    assertNotEquals("0", r.stdout().strip(), r.output());
    assertTrue(r.output().contains("Operation not permitted"), r.output());
  }

  @Test
  void maskedPaths_showNothing() {
    RunResult r = sh("cat /proc/timer_list | wc -c; ls /sys/firmware | wc -l");
    assertEquals(List.of("0", "0"), r.stdout().lines().map(String::trim).toList(), r.output());
  }

  /** The default mounts show Docker's sources in mountinfo (runtime-tools checks /dev/shm's "shm"). */
  @Test
  void defaultMounts_showDockersSources() {
    // Field 5 is the mount point; after " - " come the type and the source.
    RunResult r = sh("awk '$5 ~ \"^/(proc|dev|dev/pts|dev/shm|dev/mqueue|sys)$\"' /proc/self/mountinfo"
        + " | sed 's/.* - //' | cut -d' ' -f1,2");
    assertEquals(List.of("proc proc", "tmpfs tmpfs", "devpts devpts", "tmpfs shm", "mqueue mqueue", "sysfs sysfs"),
        r.stdout().lines().toList(), r.output());
  }

  @Test
  void procSys_isReadOnly() {
    RunResult r = sh("echo evil > /proc/sys/kernel/hostname");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("Read-only file system"), r.stderr());
  }

  @Test
  void rootFilesystem_isTheImages_andHostFilesAreNotReachable() throws IOException {
    Path sentinel = Files.writeString(Files.createTempFile("minke-sentinel", ".txt"), "host secret");
    try {
      RunResult r = sh("ls /; cat " + sentinel + " 2>&1; cat /etc/passwd | head -1");
      assertTrue(r.stdout().contains("No such file or directory"), r.output());
      assertFalse(r.stdout().contains("host secret"));
      assertTrue(r.stdout().contains("root:x:0:0:root:/root:/bin/sh"), r.output());
    } finally {
      Files.delete(sentinel);
    }
  }

  @Test
  void forkBomb_stopsAtThePidsLimit() {
    RunResult r = run(RunOptions.defaults().withPidsLimit(20), "sh", "-c",
        "n=0; while [ $n -lt 60 ]; do sleep 30 & n=$((n+1)); done 2>&1; echo done");
    assertTrue(r.output().contains("can't fork") || r.output().contains("Resource temporarily unavailable"),
        r.output());
  }

  @Test
  void memoryHog_isOomKilledAtItsLimit() {
    RunResult r = run(RunOptions.defaults().withMemoryBytes(16 * 1024 * 1024), "sh", "-c",
        "tail /dev/zero");
    assertEquals(137, r.exitCode(), r.output());
    assertTrue(r.oomKilled(), "the OOM kill is reported");
  }

  @Test
  void missingCommand_exits127_withTheReason() {
    RunResult r = run(RunOptions.defaults(), "no-such-command");
    assertEquals(127, r.exitCode());
    assertTrue(r.stderr().contains("no-such-command"), r.stderr());
  }

  @Test
  void exitCode_isTheCommands() {
    assertEquals(3, sh("exit 3").exitCode());
  }

  @Test
  void envWorkdirAndUser_comeFromTheOptions() {
    RunResult r = run(RunOptions.defaults().withEnv("GREETING", "hi").withWorkdir("/tmp").withUser("www-data"),
        "sh", "-c", "echo $GREETING; pwd; id -u; id -g");
    assertEquals(List.of("hi", "/tmp", "33", "33"), r.stdout().lines().toList(), r.output());
  }
}
