package dev.minke.runtime;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BuildOptions;
import dev.minke.build.TestStores;
import dev.minke.dsl.Image;
import dev.minke.error.MinkeException;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runc's CVE list (research §2.3) as requirements: one test per CVE class, each asserting the
 * attack fails. MinkeInitIT covers CVE-2019-5736 (sealed helper) and CVE-2021-30465 (mount
 * destinations through symlinks) at the helper level; these run whole containers.
 */
class RuntimeCveIT {
  @TempDir static Path home;
  @TempDir static Path context;
  @TempDir static Path hostDir;
  static Store store;

  @BeforeAll
  static void makeStore() {
    store = TestStores.withBusybox(home);
  }

  private static Image imageWithLink(String linkName, String target) throws IOException {
    Path dir = Files.createTempDirectory(context, "ctx");
    Files.createSymbolicLink(dir.resolve(linkName), Path.of(target));
    return from("busybox").copy(".", "/").context(dir)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  private static RunResult run(Image image, RunOptions options, String script) {
    return new Containers(store).run(image.manifestDescriptor(), "cve-test",
        options.withCommand(List.of("sh", "-c", script)), OutputListener.NONE, true);
  }

  private static Image busybox() {
    return Image.lookup(store, dev.minke.registry.Reference.parse("busybox"));
  }

  /** CVE-2024-21626: no host fd leaks into the container, and a cwd through /proc/self/fd is refused. */
  @Test
  void cve_2024_21626_noLeakedFds_andCwdThroughProcFdRefused() {
    RunResult fds = run(busybox(), RunOptions.defaults(), "ls /proc/self/fd");
    assertEquals(List.of("0", "1", "2", "3"), fds.stdout().lines().toList(), "only stdio (and ls's own dir fd)");
    MinkeException e = assertThrows(MinkeException.class,
        () -> run(busybox(), RunOptions.defaults().withWorkdir("/proc/self/fd/7"), "pwd"));
    assertTrue(e.problem().contains("cwd"), e.problem());
  }

  /** CVE-2019-19921 family: an image whose /proc is a symlink cannot redirect the proc mount. */
  @Test
  void cve_2019_19921_procAsSymlink_isRefused() throws IOException {
    Image image = imageWithLink("proc", hostDir.toString());
    assertThrows(MinkeException.class, () -> run(image, RunOptions.defaults(), "true"));
    try (Stream<Path> files = Files.list(hostDir)) {
      assertEquals(0, files.count(), "nothing was mounted or written on the host");
    }
  }

  /** CVE-2026-41579: an image whose /dev is a symlink out of the root cannot make the runtime write on the host. */
  @Test
  void cve_2026_41579_devAsSymlink_writesNothingOnTheHost() throws IOException {
    Image image = imageWithLink("dev", hostDir.toString());
    try {
      run(image, RunOptions.defaults(), "true");
    } catch (MinkeException refused) {
      // Refusing the image is as good as confining it.
    }
    try (Stream<Path> files = Files.list(hostDir)) {
      assertEquals(0, files.count(), "no device node or mount landed on the host");
    }
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(hostDir.toString()));
  }

  /** CVE-2025-31133: masks are bound from the runtime's own /dev/null, whatever the image has there. */
  @Test
  void cve_2025_31133_masksHoldWhenTheImagesDevNullIsASymlink() throws IOException {
    Image image = imageWithLink("null-link", "/etc/passwd");
    RunResult r = run(image, RunOptions.defaults(), "cat /proc/timer_list | wc -c; stat -c %t:%T /dev/null");
    assertEquals(List.of("0", "1:3"), r.stdout().lines().map(String::trim).toList(), r.output());
  }

  /** CVE-2025-52565: there is no /dev/console bound from a host pts. */
  @Test
  void cve_2025_52565_noConsoleFromTheHost() {
    RunResult r = run(busybox(), RunOptions.defaults(), "ls -l /dev/console 2>&1 || true");
    assertTrue(r.stdout().contains("No such file"), r.output());
  }

  /** CVE-2022-29162: inheritable and ambient capabilities are empty, also for exec'd processes' parents. */
  @Test
  void cve_2022_29162_inheritableCapabilitiesAreEmpty() {
    String status = run(busybox(), RunOptions.defaults(), "grep -E '^Cap(Inh|Amb)' /proc/self/status").stdout();
    assertEquals(List.of("CapInh:\t0000000000000000", "CapAmb:\t0000000000000000"), status.lines().toList());
  }

  /** CVE-2023-25809: the cgroup filesystem is not writable from inside. */
  @Test
  void cve_2023_25809_cgroupfsIsNotWritable() {
    RunResult r = run(busybox(), RunOptions.defaults(),
        "mkdir /sys/fs/cgroup/escape 2>&1; echo 1 > /sys/fs/cgroup/cgroup.procs 2>&1; echo end");
    assertTrue(r.stdout().contains("Read-only file system") || r.stdout().contains("No such file"), r.output());
    assertNotEquals("", r.stdout());
  }
}
