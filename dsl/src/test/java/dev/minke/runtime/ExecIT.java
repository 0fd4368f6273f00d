package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.image.Descriptor;
import dev.minke.os.Posix;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker exec} with the default backend: one container runs {@code sleep 30} for the
 * whole class (started attached on a background thread, as the detached lifecycle is not there
 * yet), and each test runs processes in it and checks them from inside and from the host.
 */
class ExecIT {
  @TempDir static Path home;
  static Store store;
  static Containers containers;
  static Descriptor busybox;
  static RunningContainer box;

  @BeforeAll
  static void startContainer() throws Exception {
    assumeTrue(Posix.isRoot(), "exec tests run as root");
    store = TestStores.withBusybox(home);
    containers = new Containers(store);
    busybox = store.require(BusyboxImage.NAME);
    box = RunningContainer.start(containers, busybox, "exec-it", "box");
  }

  @AfterAll
  static void stopAndCleanUp() throws Exception {
    if (box != null) {
      RunResult ended = box.kill();
      assertEquals(137, ended.exitCode(), "killed with its monitor: " + ended);
      containers.remove(box.id());
    }
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), Cgroups.leftovers().stream().filter(p -> box == null || p.contains(box.id())).toList(),
        "cgroups of this container were left behind");
  }

  RunResult exec(ExecOptions options) {
    return containers.exec(box.id(), options, OutputListener.NONE);
  }

  RunResult exec(String... command) {
    return exec(ExecOptions.of(command));
  }

  @Test
  void exec_hostname_isTheContainers() {
    assertEquals("box\n", exec("hostname").stdout());
  }

  @Test
  void exec_ps_showsContainerPid1AndItself_noHostProcess() {
    RunResult r = exec("ps", "-o", "pid,comm");
    List<String> lines = r.stdout().lines().map(String::strip).toList();
    assertTrue(lines.contains("1 sleep"), r.output());
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" ps")), r.output());
    assertEquals(3, lines.size(), "header, PID 1 and ps only: " + r.stdout());
    assertFalse(r.stdout().contains("java") || r.stdout().contains("minke-init"), r.stdout());
  }

  @Test
  void fileWrittenByExec_isSeenByTheNextExec() {
    assertEquals(0, exec("sh", "-c", "echo from-exec > /tmp/shared").exitCode());
    assertEquals("from-exec\n", exec("cat", "/tmp/shared").stdout());
  }

  @Test
  void exec_hasTheContainersCapsNoNewPrivsAndSeccomp() {
    String status = exec("grep", "-E", "^(Cap(Eff|Bnd|Inh|Amb)|NoNewPrivs|Seccomp):", "/proc/self/status").stdout();
    assertTrue(status.contains("CapEff:\t00000000a80425fb"), status);
    assertTrue(status.contains("CapBnd:\t00000000a80425fb"), status);
    assertTrue(status.contains("CapInh:\t0000000000000000"), status);
    assertTrue(status.contains("CapAmb:\t0000000000000000"), status);
    assertTrue(status.contains("NoNewPrivs:\t1"), status);
    assertTrue(status.contains("Seccomp:\t2"), status);
  }

  @Test
  void exec_seesTheContainersMasks() {
    RunResult r = exec("sh", "-c", "cat /proc/timer_list | wc -c; echo x > /proc/sys/kernel/hostname");
    assertEquals("0", r.stdout().strip(), r.output());
    assertTrue(r.stderr().contains("Read-only file system"), r.stderr());
  }

  @Test
  void exitCode_isTheCommands() {
    assertEquals(3, exec("sh", "-c", "exit 3").exitCode());
  }

  @Test
  void missingCommand_exits127_withTheReason() {
    RunResult r = exec("no-such-command");
    assertEquals(127, r.exitCode(), r.output());
    assertTrue(r.stderr().contains("no-such-command"), r.stderr());
  }

  @Test
  void missingWorkdir_failsClearly_namingTheStep() {
    ContainerExecException e = assertThrows(ContainerExecException.class,
        () -> exec(ExecOptions.of("true").withWorkdir("/no/such/dir")));
    assertEquals("cwd", e.step());
    assertTrue(e.getMessage().contains("/no/such/dir"), e.getMessage());
  }

  @Test
  void envWorkdirAndUser_comeFromTheOptions_onTopOfTheContainers() {
    RunResult r = exec(ExecOptions.of("sh", "-c", "echo $GREETING $HOSTNAME; pwd; id -u; id -g")
        .withEnv("GREETING", "hi").withWorkdir("/tmp").withUser("www-data"));
    assertEquals(List.of("hi box", "/tmp", "33", "33"), r.stdout().lines().toList(), r.output());
  }

  @Test
  void exec_isInTheContainersCgroups() throws Exception {
    RunResult inside = exec("sh", "-c", "cat /proc/1/cgroup; echo --; cat /proc/self/cgroup");
    String[] halves = inside.stdout().split("--\n");
    assertEquals(halves[0], halves[1], "PID 1 and the exec'd process share every cgroup");

    List<Path> procsFiles = TargetCgroups.procsFiles(box.containerPid());
    assertFalse(procsFiles.isEmpty(), "the container has its own cgroups");
    assertTrue(procsFiles.stream().allMatch(f -> f.toString().contains(box.id())), procsFiles.toString());
    CompletableFuture<String> seen = new CompletableFuture<>();
    OutputListener onReady = new OutputListener() {
      @Override
      public void stdout(byte[] chunk, int length) {
        seen.complete(awaitSleepInEvery(procsFiles));
      }

      @Override
      public void stderr(byte[] chunk, int length) {}
    };
    RunResult r = containers.exec(box.id(), ExecOptions.of("sh", "-c", "echo ready; exec sleep 3"), onReady);
    assertEquals(0, r.exitCode(), r.output());
    String procs = seen.get(1, TimeUnit.SECONDS);
    assertTrue(procs.contains("sleep\u00003"), "every cgroup of the container holds the exec'd sleep: " + procs);
  }

  /** Polls until every cgroup.procs file holds `sleep 3` (the shell execs it just after "ready"). */
  static String awaitSleepInEvery(List<Path> procsFiles) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    String procs = readProcs(procsFiles);
    while (!procs.endsWith("\n") && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return procs;
      }
      procs = readProcs(procsFiles);
    }
    return procs;
  }

  /** Per cgroup.procs file: the command lines of its processes; stops at a file without `sleep 3`. */
  static String readProcs(List<Path> procsFiles) {
    StringBuilder out = new StringBuilder();
    for (Path file : procsFiles) {
      StringBuilder cmdlines = new StringBuilder();
      try {
        for (String pid : Files.readAllLines(file)) {
          cmdlines.append(new String(Files.readAllBytes(Path.of("/proc", pid, "cmdline")), StandardCharsets.UTF_8))
              .append(' ');
        }
      } catch (IOException e) {
        cmdlines.append(e);
      }
      if (!cmdlines.toString().contains("sleep\u00003")) {
        return file + ": " + cmdlines;
      }
      out.append(file).append(": ").append(cmdlines).append('\n');
    }
    return out.toString();
  }

  @Test
  void exec_inACreatedContainer_failsClearly() {
    ContainerRecord created = containers.create(busybox, "busybox", RunOptions.defaults(), null);
    try {
      ContainerNotRunningException e = assertThrows(ContainerNotRunningException.class,
          () -> containers.exec(created.id(), ExecOptions.of("true"), OutputListener.NONE));
      assertTrue(e.getMessage().contains("is not running: it is created"), e.getMessage());
      assertFalse(e.hint().isEmpty());
    } finally {
      containers.remove(created.id());
    }
  }

  @Test
  void exec_whenTheRecordSaysRunningButThePidIsGone_failsClearly() throws Exception {
    ContainerRecord created = containers.create(busybox, "busybox", RunOptions.defaults(), null);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    containers.records().save(created.running(gone.pid(), 0, gone.pid(), Instant.now().toString(), "minke-init"));
    try {
      ContainerNotRunningException e = assertThrows(ContainerNotRunningException.class,
          () -> containers.exec(created.id(), ExecOptions.of("true"), OutputListener.NONE));
      assertTrue(e.getMessage().contains("is gone"), e.getMessage());
    } finally {
      containers.records().save(created.exited(137, false, Instant.now().toString(), null));
      containers.remove(created.id());
    }
  }

  /** A container started attached on its own thread, running until it is killed. */
  static final class RunningContainer {
    final Containers containers;
    final String id;
    final Thread thread;
    final AtomicReference<RunResult> result = new AtomicReference<>();
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ContainerRecord record;

    private RunningContainer(Containers containers, String id) {
      this.containers = containers;
      this.id = id;
      this.thread = new Thread(() -> {
        try {
          result.set(containers.start(id, OutputListener.NONE));
        } catch (RuntimeException e) {
          failure.set(e);
        }
      }, "exec-it-container");
    }

    static RunningContainer start(Containers containers, Descriptor image, String name, String hostname)
        throws InterruptedException {
      ContainerRecord created = containers.create(image, "busybox",
          RunOptions.defaults().withHostname(hostname).withCommand(List.of("sleep", "30")), name);
      RunningContainer c = new RunningContainer(containers, created.id());
      c.thread.start();
      c.awaitRunning();
      return c;
    }

    /** Polls the record until it is RUNNING with the container's PID. */
    private void awaitRunning() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        record = containers.records().get(id());
        if (record.state() == ContainerRecord.State.RUNNING && record.containerPid() > 0) {
          return;
        }
        if (!thread.isAlive()) {
          throw new AssertionError("the container ended: " + result.get(), failure.get());
        }
        Thread.sleep(20);
      }
      throw new AssertionError("not running after 20 s: " + record);
    }

    String id() {
      return id;
    }

    long containerPid() {
      return record.containerPid();
    }

    /**
     * SIGKILL to the minke-init monitor we started, and the container's PID 1 dies with it. The
     * runc monitor is a shell that unmounts the root after {@code runc run}: there the container's
     * PID 1 is killed, so that the shell lives to unmount.
     */
    RunResult kill() throws InterruptedException {
      long victim = "minke-init".equals(record.backend()) ? record.monitorPid() : record.containerPid();
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(thread.isAlive(), "the start thread ended");
      if (failure.get() != null) {
        throw failure.get();
      }
      assertNotNull(result.get());
      return result.get();
    }
  }
}
