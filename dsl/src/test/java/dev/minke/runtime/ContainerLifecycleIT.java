package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.image.ContainerChanges;
import dev.minke.image.Descriptor;
import dev.minke.image.HistoryEntry;
import dev.minke.image.ImageConfig;
import dev.minke.image.Manifest;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's container lifecycle with the state on disk: {@code run -d}, {@code ps}, {@code logs},
 * {@code stop}, {@code kill}, {@code wait}, {@code rm}, {@code diff} and {@code commit}, seen
 * from this JVM and from a second one, and the reaping of containers whose monitor ended
 * unseen. Every test leaves no container, mount, cgroup or process behind.
 */
class ContainerLifecycleIT {
  @TempDir static Path home;
  static Store store;
  static Descriptor busybox;
  Containers containers;

  @BeforeAll
  static void makeStore() {
    store = TestStores.withBusybox(home);
    busybox = store.require(BusyboxImage.NAME);
  }

  /** Every container the tests made; other suites on this machine may have cgroups of their own. */
  static final Set<String> ids = new HashSet<>();

  @AfterEach
  void removeEveryContainer() {
    Containers all = new Containers(store);
    for (ContainerRecord c : all.list(true)) {
      ids.add(c.id());
      all.remove(c.id(), true);
    }
  }

  /** The cgroup directories left of these containers. */
  static List<String> cgroupsOf(Collection<String> containerIds) {
    return Cgroups.leftovers().stream()
        .filter(dir -> containerIds.contains(Path.of(dir).getFileName().toString())).toList();
  }

  @AfterAll
  static void nothingLeftBehind() throws IOException {
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), cgroupsOf(ids), "cgroups were left behind");
    assertEquals(List.of(), processesUsing(home), "processes were left behind");
  }

  ContainerRecord detached(RunOptions options, String... command) {
    containers = new Containers(store);
    ContainerRecord created = containers.create(busybox, "busybox", options.withCommand(List.of(command)), null);
    return containers.startDetached(created.id());
  }

  Containers containers() {
    return containers == null ? containers = new Containers(store) : containers;
  }

  @Test
  void startDetached_runs_logs_andStopsWithSigterm_underInit() {
    ContainerRecord started = detached(RunOptions.defaults().withInit(true), "sh", "-c",
        "echo hello; echo oops >&2; exec sleep 1000");
    assertEquals(ContainerRecord.State.RUNNING, started.state());
    assertTrue(started.monitorPid() > 1 && started.containerPid() > 1, started.toString());
    assertTrue(started.monitorStartTicks() > 0, started.toString());
    assertEquals(List.of(started.id()), containers.list(false).stream().map(ContainerRecord::id).toList());
    assertTrue(Cgroups.leftovers().stream().anyMatch(dir -> dir.endsWith(started.id())),
        "the detached container's cgroup stays while it runs");
    awaitTrue(() -> containers.logs(started.id()).all().contains("hello\n")
        && containers.logs(started.id()).stderr().equals("oops\n"), "the output reaches the logs");
    assertEquals("hello\n", containers.logs(started.id()).stdout());

    assertEquals(143, containers.stop(started.id(), Duration.ofSeconds(5)), "SIGTERM ends it through the init");
    ContainerRecord stopped = containers.get(started.id());
    assertEquals(ContainerRecord.State.EXITED, stopped.state());
    assertEquals(143, stopped.exitCode());
    assertFalse(stopped.oomKilled());
    assertNull(stopped.error());
    assertEquals(List.of(), containers.list(false));
    assertEquals(List.of(), cgroupsOf(Set.of(started.id())), "the reaper removed the cgroup");

    containers.remove(started.id(), false);
    assertFalse(Files.exists(containers.records().dir(started.id())));
    assertThrows(ContainerNotFoundException.class, () -> containers.get(started.id()));
  }

  @Test
  void stop_withoutInit_waitsOutTheGrace_thenSigkillGives137() {
    ContainerRecord started = detached(RunOptions.defaults(), "sleep", "1000");
    long before = System.nanoTime();
    assertEquals(137, containers.stop(started.id(), Duration.ofMillis(500)),
        "sleep as PID 1 has no SIGTERM handler, so only SIGKILL stops it");
    assertTrue(System.nanoTime() - before >= 500_000_000L, "the grace was waited out");
    assertEquals(ContainerRecord.State.EXITED, containers.get(started.id()).state());
    assertFalse(ProcStat.alive(started.monitorPid(), started.monitorStartTicks()));
    assertFalse(ProcStat.of(started.containerPid()).map(ProcStat::running).orElse(false));
  }

  @Test
  void kill_withSigkill_gives137_toWait() {
    ContainerRecord started = detached(RunOptions.defaults(), "sleep", "1000");
    containers.kill(started.id());
    assertEquals(137, containers.wait(started.id()));
    assertEquals(137, containers.get(started.id()).exitCode());
    ContainerStateException e = assertThrows(ContainerStateException.class,
        () -> containers.kill(started.id(), 15));
    assertEquals(ContainerRecord.State.EXITED, e.state());
  }

  @Test
  void kill_withAForwardedSignal_reachesTheContainersHandler() {
    ContainerRecord started = detached(RunOptions.defaults(), "sh", "-c",
        "trap 'echo got USR1; exit 3' USR1; echo ready; while true; do sleep 0.05; done");
    awaitTrue(() -> containers.logs(started.id()).stdout().contains("ready"), "the trap is set");
    containers.kill(started.id(), 10);
    assertEquals(3, containers.wait(started.id()));
    assertTrue(containers.logs(started.id()).stdout().contains("got USR1"), containers.logs(started.id()).all());
  }

  @Test
  void wait_returnsTheCommandsExitCode() {
    ContainerRecord started = detached(RunOptions.defaults(), "sh", "-c", "sleep 0.3; exit 7");
    assertEquals(7, containers.wait(started.id()));
    ContainerRecord exited = containers.get(started.id());
    assertEquals(ContainerRecord.State.EXITED, exited.state());
    assertTrue(Instant.parse(exited.finishedAt()).isAfter(Instant.parse(exited.startedAt())), exited.toString());
    assertEquals(7, containers.stop(started.id()), "stopping a stopped container changes nothing");
  }

  @Test
  void aCommandThatCannotBeFound_endsWith127_andTheReasonIsRecorded() {
    ContainerRecord started = detached(RunOptions.defaults(), "no-such-command");
    assertEquals(127, containers.wait(started.id()));
    String error = containers.get(started.id()).error();
    assertTrue(error != null && error.contains("no-such-command"), String.valueOf(error));
  }

  @Test
  void wait_onACreatedContainer_failsClearly() {
    ContainerRecord created = containers().create(busybox, "busybox", RunOptions.defaults(), null);
    ContainerStateException e = assertThrows(ContainerStateException.class, () -> containers.wait(created.id()));
    assertEquals(ContainerRecord.State.CREATED, e.state());
  }

  @Test
  void remove_ofARunningContainer_withoutForce_failsClearly_andForceKillsIt() {
    ContainerRecord started = detached(RunOptions.defaults(), "sleep", "1000");
    ContainerStateException e = assertThrows(ContainerStateException.class,
        () -> containers.remove(started.id(), false));
    assertTrue(e.getMessage().contains("is running"), e.getMessage());
    assertTrue(e.hint().contains("stop"), e.hint());
    assertEquals(ContainerRecord.State.RUNNING, containers.get(started.id()).state());

    containers.remove(started.id(), true);
    assertFalse(Files.exists(containers.records().dir(started.id())));
    assertFalse(ProcStat.alive(started.monitorPid(), started.monitorStartTicks()));
    assertEquals(List.of(), cgroupsOf(Set.of(started.id())));
  }

  @Test
  void diff_ofARunningContainer_showsWhatItAdded() {
    ContainerRecord started = detached(RunOptions.defaults(), "sh", "-c", "echo hi > /hello; exec sleep 1000");
    awaitTrue(() -> containers.diff(started.id()).stream().anyMatch(c -> c.toString().equals("A /hello")),
        "A /hello while it runs");
    containers.kill(started.id());
    containers.wait(started.id());
    assertTrue(containers.diff(started.id()).stream().anyMatch(c -> c.toString().equals("A /hello")));
  }

  @Test
  void diff_andCommit_leaveOutTheNetworkFilesMountPoints() {
    // busybox has no /etc/hostname, /etc/hosts or /etc/resolv.conf: minke-init makes empty mount
    // points for them in the upper dir, which Docker keeps in an init layer out of diff and commit.
    RunResult run = containers().run(busybox, "busybox",
        RunOptions.defaults().withCommand(List.of("sh", "-c", "echo x > /tmp/x")), OutputListener.NONE, false);
    assertEquals(0, run.exitCode(), run.output());
    List<String> diff = containers.diff(run.containerId()).stream().map(ContainerChanges.Change::toString).toList();
    assertEquals(List.of("C /tmp", "A /tmp/x"), diff);

    Descriptor committed = containers.commit(run.containerId(), null, null);
    Manifest manifest = store.manifest(committed.digest());
    List<Path> snapshots = store.snapshots().prepare(manifest, store.config(manifest));
    Path committedLayer = snapshots.get(snapshots.size() - 1);
    assertTrue(Files.exists(committedLayer.resolve("tmp/x")));
    assertFalse(Files.exists(committedLayer.resolve("etc")), "no /etc in the committed layer");
  }

  @Test
  void diff_andCommit_ofAStoppedContainer() {
    RunResult run = containers().run(busybox, "busybox",
        RunOptions.defaults().withCommand(List.of("sh", "-c", "echo hi > /hello; rm /etc/group")),
        OutputListener.NONE, false);
    assertEquals(0, run.exitCode(), run.output());
    List<String> diff = containers.diff(run.containerId()).stream().map(ContainerChanges.Change::toString).toList();
    assertEquals(List.of("C /etc", "D /etc/group", "A /hello"), diff);

    Descriptor committed = containers.commit(run.containerId(), Reference.parse("committed:1"), "a test");
    assertEquals(committed.digest(), store.require(Reference.parse("committed:1")).digest(), "tagged");
    Manifest base = store.manifest(busybox.digest());
    Manifest manifest = store.manifest(committed.digest());
    assertEquals(base.layers().size() + 1, manifest.layers().size());
    assertEquals(base.layers(), manifest.layers().subList(0, base.layers().size()));
    ImageConfig config = store.config(manifest);
    HistoryEntry last = config.history().get(config.history().size() - 1);
    assertEquals("sh -c echo hi > /hello; rm /etc/group", last.createdBy());
    assertEquals("a test", last.comment());
    assertEquals(store.config(base).config(), config.config(), "the image's config, unchanged");

    RunResult cat = containers.run(committed, "committed:1",
        RunOptions.defaults().withCommand(List.of("sh", "-c", "cat /hello; test -e /etc/group || echo gone")),
        OutputListener.NONE, true);
    assertEquals("hi\ngone\n", cat.stdout(), cat.output());

    assertEquals(committed.digest(), containers.commit(run.containerId(), null, "a test").digest(),
        "the same changes give the same image");
    Descriptor withCmd = containers.commit(run.containerId(), Reference.parse("committed:cmd"), null,
        List.of("cat", "/hello"));
    assertEquals(List.of("cat", "/hello"), store.config(store.manifest(withCmd.digest())).config().cmd());
    assertEquals("hi\n", containers.run(withCmd, "committed:cmd", RunOptions.defaults(), OutputListener.NONE, true)
        .stdout());
  }

  @Test
  void aContainerStartedByAnotherJvm_thatExited_keepsRunning_andIsKilledHere() throws Exception {
    Process child = startChildJvm("from-exited-child", "exit");
    String id = startedId(child);
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue());

    Containers here = new Containers(store);
    ContainerRecord record = here.get(id);
    assertEquals(ContainerRecord.State.RUNNING, record.state(), "it outlived the JVM that started it");
    here.kill("from-exited-child");
    assertEquals(137, here.wait("from-exited-child"));
    assertEquals(List.of(), cgroupsOf(Set.of(id)));
  }

  @Test
  void aContainerStartedByAnotherJvm_thatWasKilled_keepsRunning_andIsStoppedHere() throws Exception {
    Process child = startChildJvm("from-child", "hang");
    String id;
    try {
      id = startedId(child);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, child.exitValue());

    Containers here = new Containers(store);
    ContainerRecord record = here.get("from-child");
    assertEquals(id, record.id());
    assertEquals(ContainerRecord.State.RUNNING, record.state(), "it outlived the JVM that started it");
    assertTrue(ProcStat.alive(record.monitorPid(), record.monitorStartTicks()));
    assertEquals(List.of(id), here.list(false).stream().map(ContainerRecord::id).toList());

    assertEquals(137, here.stop("from-child", Duration.ofMillis(200)));
    assertEquals(137, here.get("from-child").exitCode());
    assertEquals(List.of(), cgroupsOf(Set.of(id)));
  }

  /** A second JVM on the same store that starts a detached container named {@code name}. */
  private static Process startChildJvm(String name, String then) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DetachedStarter.class.getName(), home.toString(), name, then)
        .redirectErrorStream(true).start();
  }

  /** The ID the child JVM prints once the container runs; what else it printed if it did not. */
  private static String startedId(Process child) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("started ")) {
      seen.add(line);
    }
    assertTrue(line != null, "the child JVM did not start the container: " + String.join("\n", seen));
    return line.substring("started ".length());
  }

  @Test
  void aRecordLeftRunning_whoseMonitorIsGone_isReapedOnTheNextList() throws Exception {
    Containers here = containers();
    ContainerStore records = here.records();
    long deadPid = deadPid();

    // Detached, and the wrapper wrote its status before the monitor's JVM died.
    ContainerRecord withStatus = here.create(busybox, "busybox", RunOptions.defaults(), "stale-status");
    Files.writeString(records.dir(withStatus.id()).resolve(DetachedMonitor.PID_FILE), deadPid + "\n");
    Files.writeString(records.dir(withStatus.id()).resolve(DetachedMonitor.STATUS_FILE), "42\n");
    records.save(withStatus.running(deadPid, 12345, deadPid, Instant.now().toString(), "minke-init"));
    CgroupHandle leftover = Cgroups.detect().create(withStatus.id(), null); // left behind, too

    // Its PID now belongs to another process (this JVM): the start time tells them apart.
    ContainerRecord reused = here.create(busybox, "busybox", RunOptions.defaults(), "stale-reused");
    long self = ProcessHandle.current().pid();
    long selfTicks = ProcStat.of(self).orElseThrow().startTicks();
    records.save(reused.running(self, selfTicks + 1, self, Instant.now().toString(), "minke-init"));

    assertEquals(List.of(), here.list(false), "neither is running");
    ContainerRecord reaped = here.get("stale-status");
    assertEquals(ContainerRecord.State.EXITED, reaped.state());
    assertEquals(42, reaped.exitCode());
    assertNull(reaped.error());
    assertTrue(leftover.procsFiles().stream().noneMatch(Files::exists), "the reaper removed the cgroup");

    ContainerRecord unknown = here.get("stale-reused");
    assertEquals(ContainerRecord.State.EXITED, unknown.state());
    assertEquals(255, unknown.exitCode(), "no status was written: Docker's 255");
    assertTrue(unknown.error().contains("without leaving an exit status"), unknown.error());
    assertTrue(ProcessHandle.current().isAlive());
  }

  @Test
  void withInit_putsTheInitKeyIntoTheSpec() {
    RuntimeSpec spec = SpecBuilder.build(dev.minke.image.ContainerConfig.empty(),
        RunOptions.defaults().withInit(true).withCommand(List.of("true")), new ImageAccounts("", ""), "0".repeat(64),
        false, 0, 0);
    assertTrue(spec.hasInit());
    RootfsPlan plan = new RootfsPlan(Path.of("/o"), List.of("l"), Path.of("/u"), Path.of("/w"), Path.of("/t"));
    String encoded = new String(InitSpec.encode(spec, plan, List.of(), Optional.empty()), StandardCharsets.UTF_8);
    assertTrue(encoded.contains("\0init=1\0"), encoded);
    RuntimeSpec plain = SpecBuilder.build(dev.minke.image.ContainerConfig.empty(),
        RunOptions.defaults().withCommand(List.of("true")), new ImageAccounts("", ""), "0".repeat(64), false, 0, 0);
    assertFalse(new String(InitSpec.encode(plain, plan, List.of(), Optional.empty()), StandardCharsets.UTF_8).contains("init=1"));
    assertNotEquals(spec, plain);
  }

  /** The PID of a process that has ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "timed out waiting: " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Processes whose command line names the store: wrappers, monitors, containers' helpers. */
  private static List<String> processesUsing(Path dir) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
          if (cmdline.contains(dir.toString()) && ProcStat.of(Long.parseLong(proc.getFileName().toString()))
              .map(ProcStat::running).orElse(false)) {
            found.add(proc.getFileName() + ": " + cmdline);
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return found;
  }
}
