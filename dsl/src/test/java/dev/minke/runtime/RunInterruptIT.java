package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.dsl.Container;
import dev.minke.dsl.Image;
import dev.minke.image.Descriptor;
import dev.minke.os.Interruption;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting the thread of an attached run, an exec or a wait (a notebook cell's interrupt):
 * the run's container is stopped (and removed with --rm), the exec'd process is killed while the
 * container runs on, a wait just stops waiting. Each throws an exception naming the container.
 */
class RunInterruptIT {
  @TempDir static Path home;
  static Store store;
  static Descriptor busybox;
  /** Every container the tests made, to check their cgroups are gone. */
  static final Set<String> ids = new HashSet<>();

  @BeforeAll
  static void makeStore() {
    store = TestStores.withBusybox(home);
    busybox = store.require(BusyboxImage.NAME);
  }

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
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()), "a mount is left");
    assertEquals(List.of(), Cgroups.leftovers().stream()
        .filter(dir -> ids.contains(Path.of(dir).getFileName().toString())).toList(), "cgroups are left");
  }

  /** Records the containers that exist now, and says whether one runs {@code argv}. */
  private static boolean running(List<String> argv) {
    new Containers(store).list(true).forEach(c -> ids.add(c.id()));
    return !Interruption.descendantsRunning(argv).isEmpty();
  }

  @Test
  void imageRun_interrupted_stopsAndRemovesTheContainer() throws Exception {
    Image image = Image.of(store, busybox, BusyboxImage.NAME);
    List<String> sleep = List.of("sleep", "4721");

    Interruption.Outcome outcome = Interruption.interruptWhen(() -> running(sleep),
        () -> image.run("sleep", "4721"));

    RunInterruptedException e = assertInstanceOf(RunInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet(), "the interrupt status is set again");
    assertTrue(e.getMessage().contains("`sleep 4721`"), e.getMessage());
    assertTrue(e.removed(), e.getMessage());
    assertTrue(Interruption.awaitGone(sleep), "the container's process was killed");
    assertEquals(List.of(), new Containers(store).list(true), "--rm removed the container");
  }

  @Test
  void attachedRunWithoutRemove_interrupted_leavesTheContainerExited() throws Exception {
    Containers containers = new Containers(store);
    List<String> sleep = List.of("sleep", "4722");

    Interruption.Outcome outcome = Interruption.interruptWhen(() -> running(sleep),
        () -> containers.run(busybox, "busybox", RunOptions.defaults().withCommand(sleep), OutputListener.NONE, false));

    RunInterruptedException e = assertInstanceOf(RunInterruptedException.class, outcome.thrown());
    assertFalse(e.removed());
    assertTrue(Interruption.awaitGone(sleep));
    ContainerRecord record = containers.get(e.container());
    assertEquals(ContainerRecord.State.EXITED, record.state());
    assertEquals(137, record.exitCode(), "PID 1 ignores SIGTERM: SIGKILL after the grace");
  }

  @Test
  void exec_interrupted_killsTheExecdProcess_andTheContainerRunsOn() throws Exception {
    Container container = Image.of(store, busybox, BusyboxImage.NAME).start("sleep", "4723");
    List<String> execd = List.of("sleep", "4724");

    Interruption.Outcome outcome = Interruption.interruptWhen(() -> running(execd),
        () -> new Containers(store).exec(container.id(), ExecOptions.of(execd), OutputListener.NONE));

    RunInterruptedException e = assertInstanceOf(RunInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet());
    assertTrue(e.getMessage().contains("`sleep 4724`"), e.getMessage());
    assertTrue(Interruption.awaitGone(execd), "the exec'd process was killed");
    assertEquals(ContainerRecord.State.RUNNING, new Containers(store).get(container.id()).state());
  }

  @Test
  void waitFor_interrupted_stopsWaiting_andTheContainerRunsOn() throws Exception {
    Container container = Image.of(store, busybox, BusyboxImage.NAME).start("sleep", "4725");
    ids.add(container.id());
    long waiting = System.nanoTime() + 300_000_000L; // interrupted once the wait has surely begun
    Interruption.Outcome outcome = Interruption.interruptWhen(() -> System.nanoTime() > waiting, container::waitFor);

    WaitInterruptedException e = assertInstanceOf(WaitInterruptedException.class, outcome.thrown());
    assertTrue(outcome.interruptStatusSet());
    assertEquals(new Containers(store).get(container.id()).name(), e.container());
    assertEquals(ContainerRecord.State.RUNNING, new Containers(store).get(container.id()).state());
  }
}
