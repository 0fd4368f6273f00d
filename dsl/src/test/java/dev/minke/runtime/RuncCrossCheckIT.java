package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probes of {@link ContainerIsolationIT}, on the same bundles, under runc instead of
 * minke-init (selected as a user would, with {@code minke.runtime=runc}): both backends must
 * show a container the same way from inside, and leave nothing behind (mounts, runc's cgroups
 * and its state).
 *
 * <p>One probe legitimately differs: runc deletes the container's cgroups before it returns, so
 * Minke cannot read the OOM kill from the memory cgroup afterwards; the OOM probe asserts only
 * exit 137 (SIGKILL) here.
 */
class RuncCrossCheckIT extends ContainerIsolationIT {
  @BeforeAll
  static void selectRunc() {
    System.setProperty("minke.runtime", "runc");
  }

  @AfterAll
  static void selectDefault() {
    System.clearProperty("minke.runtime");
  }

  @AfterAll
  static void runcLeftNothingBehind() throws IOException {
    Path state = store.home().resolve("containers/.oci-state");
    if (Files.isDirectory(state)) {
      try (Stream<Path> entries = Files.list(state)) {
        assertEquals(List.of(), entries.map(Path::toString).toList(), "runc state was left behind");
      }
    }
    // A relative cgroupsPath would put runc's cgroups below runc's own cgroup, not below minke/.
    try (Stream<Path> dirs = Files.walk(Path.of("/sys/fs/cgroup"), 6)) {
      assertEquals(List.of(), ours(dirs.filter(Files::isDirectory).map(Path::toString).toList()),
          "runc's cgroups were left behind");
    }
  }

  @Test
  void theRuntimeIsRunc() {
    assertEquals("runc", Runtimes.select(store.home()).name());
  }

  @Override
  @Test
  void memoryHog_isOomKilledAtItsLimit() {
    RunResult r = run(RunOptions.defaults().withMemoryBytes(16 * 1024 * 1024), "sh", "-c", "tail /dev/zero");
    assertEquals(137, r.exitCode(), r.output());
  }

  @Test
  void cgroups_areUnderMinke_whereMinkeLooksForThem() throws Exception {
    Containers containers = new Containers(store);
    ContainerRecord record = containers.create(busybox, "busybox",
        RunOptions.defaults().withPidsLimit(33).withCommand(List.of("sh", "-c", "cat /proc/self/cgroup; sleep 2")),
        null);
    ids.add(record.id());
    Path pidsMax = Path.of("/sys/fs/cgroup/pids/minke", record.id(), "pids.max");
    Thread runner = new Thread(() -> containers.start(record.id(), OutputListener.NONE));
    runner.start();
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      String value = "";
      while (!value.equals("33") && System.nanoTime() < deadline) { // runc writes the limit after mkdir
        Thread.sleep(20);
        value = Files.exists(pidsMax) ? Files.readString(pidsMax).strip() : "(no " + pidsMax + ")";
      }
      assertEquals("33", value, "runc made the cgroup at /minke/<id>");
    } finally {
      runner.join();
      containers.remove(record.id());
    }
  }
}
