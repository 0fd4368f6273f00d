package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.image.Descriptor;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detached lifecycle on runc, where Java mounts the root filesystem: stop, and the reaping
 * of a container whose wrapper was killed, which must unmount what Java mounted.
 */
class RuncLifecycleIT {
  @TempDir static Path home;
  static Store store;
  static Descriptor busybox;

  @BeforeAll
  static void useRunc() {
    assumeTrue(Runtimes.findOnPath("runc").isPresent(), "runc is not installed");
    System.setProperty("minke.runtime", "runc");
    store = TestStores.withBusybox(home);
    busybox = store.require(BusyboxImage.NAME);
  }

  static final Set<String> ids = new HashSet<>();

  @AfterEach
  void removeEveryContainer() {
    Containers all = new Containers(store);
    for (ContainerRecord c : all.list(true)) {
      ids.add(c.id());
      all.remove(c.id(), true);
    }
  }

  @AfterAll
  static void nothingLeftBehind() throws IOException {
    System.clearProperty("minke.runtime");
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), ContainerLifecycleIT.cgroupsOf(ids), "cgroups were left behind");
  }

  ContainerRecord detached(Containers containers, String... command) {
    ContainerRecord created = containers.create(busybox, "busybox",
        RunOptions.defaults().withCommand(List.of(command)), null);
    return containers.startDetached(created.id());
  }

  @Test
  void stop_withSigkillAfterTheGrace_unmountsTheRoot() throws IOException {
    Containers containers = new Containers(store);
    ContainerRecord started = detached(containers, "sh", "-c", "echo up; exec sleep 1000");
    assertEquals("runc", started.backend());
    assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(started.id()), "Java mounted the root");
    assertEquals(137, containers.stop(started.id(), Duration.ofMillis(300)));
    assertTrue(containers.logs(started.id()).stdout().contains("up"));
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(started.id()));
  }

  @Test
  void aContainerWhoseWrapperAndMonitorWereKilled_isReaped_andItsRootUnmounted() throws Exception {
    Containers containers = new Containers(store);
    ContainerRecord started = detached(containers, "sleep", "1000");
    long wrapper = ProcStat.of(started.monitorPid()).orElseThrow().parentPid();
    Signals.send(wrapper, Signals.SIGKILL); // pids this test started
    Signals.send(started.monitorPid(), Signals.SIGKILL);
    ContainerSignals.awaitMonitorExit(started, Duration.ofSeconds(5));

    ContainerRecord reaped = containers.get(started.id());
    assertEquals(ContainerRecord.State.EXITED, reaped.state());
    assertEquals(ContainerReaper.UNKNOWN_EXIT, reaped.exitCode());
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(started.id()), "the reaper unmounted it");
    assertFalse(ProcStat.of(started.containerPid()).map(ProcStat::running).orElse(false),
        "runc delete --force ended the container");
  }
}
