package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.TestStores;
import dev.minke.error.MinkeException;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.Containers;
import dev.minke.runtime.VolumeInfo;
import dev.minke.runtime.Volumes;
import dev.minke.runtime.net.Networks;
import dev.minke.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stacks (issue 6): a two-service stack comes up on its own network, the app reaches the db by
 * service name, and {@code down()} leaves no container, network, bridge, anonymous volume, mount,
 * cgroup or process; named volumes stay until {@code down(true)}. A cycle starts nothing, and a
 * service that fails to start takes back everything started before it.
 */
class StackIT {
  @TempDir static Path home;
  static Store store;
  final List<Stack> made = new ArrayList<>();

  @BeforeAll
  static void makeStore() {
    Assumptions.assumeTrue(Networks.bridgeAvailable(), "stacks need a bridge: root and the CNI plugins");
    store = TestStores.withBusybox(home);
  }

  @AfterEach
  void downEverything() {
    for (Stack stack : made) {
      try {
        stack.down(true);
      } catch (MinkeException e) {
        // already down
      }
    }
  }

  /** A stack with a name no other test (or JVM) on this host uses: networks are per host. */
  Stack stack(String prefix) {
    Stack stack = Stack.of(prefix + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()))
        .withStore(store);
    made.add(stack);
    return stack;
  }

  static final String DB = "echo hello-from-db > /www/index.html && exec httpd -f -p 80 -h /www";
  // depends_on waits for the start, not for readiness: the app retries, as compose apps do.
  static final String APP = "for i in $(seq 1 100); do wget -qO- http://db/ && exit 0; sleep 0.1; done; exit 1";

  @Test
  void twoServices_comeUp_talkByServiceName_andGoDownLeavingNothing() throws Exception {
    Set<String> volumesBefore = volumeNames();
    Stack stack = stack("it")
        .service(Service.of("app", "busybox").dependsOn("db").command("sh", "-c", APP))
        .service(Service.of("db", "busybox").command("sh", "-c", DB).volume("www:/www").volume("/scratch").init(true));
    made.add(stack);

    StackStatus up = stack.up();
    assertEquals(List.of("db", "app"), stack.startOrder().stream().map(Service::name).toList());
    assertTrue(up.networkExists(), up.toString());
    assertEquals(StackStatus.State.RUNNING, up.service("db").orElseThrow().state(), up.toString());
    assertTrue(Files.exists(Path.of("/sys/class/net", Networks.bridgeName(stack.name()))), "the stack's bridge");
    assertEquals(stack.name() + "-db", up.service("db").orElseThrow().container());

    assertEquals(0, stack.container("app").waitFor(), stack.logs("app"));
    assertEquals("hello-from-db\n", stack.logs("app"));
    StackStatus ps = stack.ps();
    assertEquals(StackStatus.State.EXITED, ps.service("app").orElseThrow().state(), ps.toString());
    assertEquals(0, ps.service("app").orElseThrow().exitCode());
    assertTrue(ps.service("db").orElseThrow().running(), ps.toString());
    List<String> ids = ps.services().stream().map(StackStatus.ServiceStatus::containerId).toList();
    Set<String> newVolumes = minus(volumeNames(), volumesBefore);
    assertEquals(2, newVolumes.size(), "www and /scratch's anonymous volume: " + newVolumes);
    assertTrue(newVolumes.contains(stack.volumeName("www")), newVolumes.toString());

    MinkeException twice = assertThrows(MinkeException.class, stack::up);
    assertTrue(twice.getMessage().contains("is already up"), twice.getMessage());

    long start = System.nanoTime();
    stack.down();
    assertTrue(System.nanoTime() - start < 8_000_000_000L, "init stops httpd at SIGTERM, no 10 s grace");
    assertTrue(stack.ps().isDown(), stack.ps().toString());
    assertNothingLeftOf(stack, ids);
    assertEquals(Set.of(stack.volumeName("www")), minus(volumeNames(), volumesBefore),
        "the named volume stays, the anonymous one is gone");

    stack.down(true);
    assertEquals(volumesBefore, volumeNames(), "down(true) removes the named volume too");
  }

  @Test
  void cycle_isAClearError_andStartsNothing() {
    Set<String> volumesBefore = volumeNames();
    Stack stack = stack("cy").service(Service.of("a", "busybox").dependsOn("b").volume("v:/v"))
        .service(Service.of("b", "busybox").dependsOn("a"));
    StackDefinitionException e = assertThrows(StackDefinitionException.class, stack::up);
    assertTrue(e.getMessage().contains("cycle: a -> b -> a"), e.getMessage());
    assertTrue(stack.ps().isDown());
    assertFalse(networkNames().contains(stack.name()));
    assertEquals(volumesBefore, volumeNames());
  }

  @Test
  void aServiceThatFailsToStart_undoesEverythingUpStarted() throws Exception {
    Set<String> volumesBefore = volumeNames();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Stack stack = stack("fa")
          .service(Service.of("db", "busybox").command("sh", "-c", DB).volume("www:/www").init(true))
          .service(Service.of("web", "busybox").dependsOn("db").command("sleep", "60")
              .port("127.0.0.1:" + taken.getLocalPort() + ":80"));
      StackStartException e = assertThrows(StackStartException.class, stack::up);
      assertEquals("web", e.service());
      assertTrue(e.getMessage().contains("service web could not be started"), e.getMessage());
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
      assertTrue(stack.ps().isDown(), stack.ps().toString());
      assertFalse(networkNames().contains(stack.name()));
      assertEquals(volumesBefore, volumeNames(), "the volume up() made is gone again");
      assertNothingLeftOf(stack, List.of());
    }
  }

  @Test
  void missingImage_isADefinitionError_beforeAnythingStarts() {
    Stack stack = stack("mi").service(Service.of("db", "busybox").command("true"))
        .service(Service.of("app", "nosuch/image:1").dependsOn("db"));
    StackDefinitionException e = assertThrows(StackDefinitionException.class, stack::up);
    assertTrue(e.getMessage().contains("the image of service app is not there"), e.getMessage());
    assertTrue(stack.ps().isDown());
  }

  // ---- what a stack may leave behind ----

  void assertNothingLeftOf(Stack stack, List<String> ids) throws Exception {
    List<String> names = stack.services().stream().map(s -> stack.containerName(s.name())).toList();
    assertTrue(new Containers(store).list(true).stream().map(ContainerRecord::name).noneMatch(names::contains));
    assertFalse(networkNames().contains(stack.name()), "network");
    assertFalse(Files.exists(Path.of("/sys/class/net", Networks.bridgeName(stack.name()))), "bridge");
    for (String id : ids) {
      assertFalse(Files.exists(home.resolve("containers").resolve(id)), "container directory " + id);
      String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
      assertFalse(mounts.contains(id), "a mount of " + id + " is left:\n" + mounts);
      assertEquals(List.of(), cgroupsNamed(id), "cgroups of " + id);
      assertEquals(List.of(), processesMentioning(id), "processes of " + id);
    }
  }

  static Set<String> volumeNames() {
    Set<String> names = new TreeSet<>();
    new Volumes(store).list().stream().map(VolumeInfo::name).forEach(names::add);
    return names;
  }

  static Set<String> networkNames() {
    Set<String> names = new TreeSet<>();
    new Networks().list().forEach(n -> names.add(n.name()));
    return names;
  }

  static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> rest = new TreeSet<>(a);
    rest.removeAll(b);
    return rest;
  }

  /** {@code minke/<id>} under /sys/fs/cgroup, v2 or any v1 hierarchy. */
  static List<String> cgroupsNamed(String id) throws IOException {
    List<String> found = new ArrayList<>();
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> parents = new ArrayList<>(List.of(root.resolve("minke")));
    try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(root)) {
      hierarchies.forEach(h -> parents.add(h.resolve("minke")));
    }
    for (Path parent : parents) {
      if (Files.isDirectory(parent.resolve(id))) {
        found.add(parent.resolve(id).toString());
      }
    }
    return found;
  }

  static List<String> processesMentioning(String id) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
        p -> p.getFileName().toString().matches("[0-9]+"))) {
      for (Path proc : procs) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
          if (cmdline.contains(id)) {
            found.add(proc.getFileName() + " " + cmdline);
          }
        } catch (IOException e) {
          // ended meanwhile
        }
      }
    }
    return found;
  }
}
