package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.os.Posix;
import dev.minke.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec} in a container that runc started: it goes through {@code runc exec}. */
class ExecRuncIT {
  @TempDir static Path home;
  static Containers containers;
  static ExecIT.RunningContainer box;

  @BeforeAll
  static void startContainer() throws Exception {
    assumeTrue(Posix.isRoot(), "exec tests run as root");
    assumeTrue(Runtimes.findOnPath("runc").isPresent(), "runc is not installed");
    Store store = TestStores.withBusybox(home);
    containers = new Containers(store);
    String before = System.getProperty("minke.runtime");
    System.setProperty("minke.runtime", "runc");
    try {
      box = ExecIT.RunningContainer.start(containers, store.require(BusyboxImage.NAME), "exec-runc-it", "runcbox");
    } finally {
      if (before == null) {
        System.clearProperty("minke.runtime");
      } else {
        System.setProperty("minke.runtime", before);
      }
    }
    assertEquals("runc", box.record.backend());
  }

  @AfterAll
  static void stopAndCleanUp() throws Exception {
    if (box != null) {
      assertEquals(137, box.kill().exitCode());
      containers.remove(box.id());
    }
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), Cgroups.leftovers().stream().filter(p -> box == null || p.contains(box.id())).toList(),
        "cgroups of this container were left behind");
  }

  RunResult exec(String... command) {
    return containers.exec(box.id(), ExecOptions.of(command), OutputListener.NONE);
  }

  @Test
  void exec_hostnameAndPs_areTheContainers() {
    assertEquals("runcbox\n", exec("hostname").stdout());
    List<String> ps = exec("ps", "-o", "pid,comm").stdout().lines().map(String::strip).toList();
    assertTrue(ps.contains("1 sleep"), ps.toString());
    assertEquals(3, ps.size(), ps.toString());
  }

  @Test
  void exec_hasTheContainersCapsNoNewPrivsAndSeccomp() {
    String status = exec("grep", "-E", "^(CapEff|NoNewPrivs|Seccomp):", "/proc/self/status").stdout();
    assertTrue(status.contains("CapEff:\t00000000a80425fb"), status);
    assertTrue(status.contains("NoNewPrivs:\t1"), status);
  }

  @Test
  void exitCode_isTheCommands() {
    assertEquals(3, exec("sh", "-c", "exit 3").exitCode());
  }
}
