package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.error.MinkeException;
import dev.minke.image.Descriptor;
import dev.minke.runtime.net.Network;
import dev.minke.runtime.net.Networks;
import dev.minke.runtime.net.Subnet;
import dev.minke.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networking (issue 6): none has only loopback, up; bridge gives an own address in Minke's subnet
 * and publishes ports on the host's loopback; members of a user network reach each other by name;
 * host mode sees the host's interfaces; a port in use and a subnet on a host route are refused
 * cleanly. Nothing is left behind: no link, no iptables rule, no attachment, no process.
 */
class ContainerNetworkIT {
  @TempDir static Path home;
  static Store store;
  static Descriptor busybox;
  static List<String> linksBefore;
  static List<String> rulesBefore;
  static final List<String> startedHere = Collections.synchronizedList(new ArrayList<>());
  static final List<String> networksHere = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void makeStore() {
    store = TestStores.withBusybox(home);
    busybox = store.require(BusyboxImage.NAME);
    linksBefore = minkeLinks();
    rulesBefore = minkeRules();
  }

  @AfterEach
  void removeContainers() {
    Containers containers = new Containers(store);
    for (String id : List.copyOf(startedHere)) {
      containers.find(id).ifPresent(c -> containers.remove(c.id(), true));
    }
    startedHere.clear();
    for (String name : List.copyOf(networksHere)) {
      try {
        new Networks().remove(name);
      } catch (MinkeException e) {
        // not there
      }
    }
    networksHere.clear();
  }

  @AfterAll
  static void nothingLeftBehind() {
    assertEquals(linksBefore, minkeLinks(), "bridges or veths were left behind");
    assertEquals(rulesBefore, minkeRules(), "iptables rules were left behind");
  }

  /** Links named minke* and veths on a minke bridge (veths of other tools are theirs). */
  static List<String> minkeLinks() {
    return sh("ip -br link | awk '{print $1}' | grep -i minke; ip -br link show master minke0 2>/dev/null | awk '{print $1}'")
        .lines().sorted().toList();
  }

  static List<String> minkeRules() {
    return sh("iptables-save 2>/dev/null | grep -i minke").lines().filter(l -> !l.startsWith("#")).sorted().toList();
  }

  static String sh(String script) {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  RunResult run(RunOptions options, String... command) {
    Containers containers = new Containers(store);
    ContainerRecord created = containers.create(busybox, "busybox", options.withCommand(List.of(command)), null);
    startedHere.add(created.id());
    return containers.start(created.id(), OutputListener.NONE);
  }

  ContainerRecord start(RunOptions options, String name, String... command) {
    Containers containers = new Containers(store);
    ContainerRecord created = containers.create(busybox, "busybox", options.withCommand(List.of(command)), name);
    startedHere.add(created.id());
    return containers.startDetached(created.id());
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static final String HTTPD = "mkdir -p /www && echo hello-from-minke > /www/index.html && exec httpd -f -p 80 -h /www";

  static String get(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Exception last = null;
    for (int i = 0; i < 50; i++) {
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  @Test
  void none_hasOnlyLoopback_andItIsUp() {
    RunResult r = run(RunOptions.defaults().withNetwork("none"), "ip", "-o", "link");
    assertEquals(0, r.exitCode(), r.output());
    List<String> links = r.stdout().lines().toList();
    assertEquals(1, links.size(), r.stdout());
    assertTrue(links.get(0).startsWith("1: lo: <LOOPBACK,UP,LOWER_UP>"), r.stdout());
  }

  @Test
  void bridge_givesAnOwnAddressInTheSubnet_loopbackUp_andHostsFiles() throws Exception {
    RunResult r = run(RunOptions.defaults().withNetwork("bridge").withHostname("boxy"),
        "sh", "-c", "ip -o -4 addr show eth0; ip -o link show lo; ip route; cat /etc/hosts /etc/hostname");
    assertEquals(0, r.exitCode(), r.output());
    String address = r.stdout().lines().findFirst().orElseThrow().split("\\s+")[3].split("/")[0];
    assertTrue(Subnet.parse(Networks.DEFAULT_SUBNET).contains(address), r.stdout());
    Set<String> hostAddresses = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .map(InetAddress::getHostAddress).collect(Collectors.toSet());
    assertFalse(hostAddresses.contains(address), "the container's address is its own: " + address);
    assertTrue(r.stdout().contains("lo: <LOOPBACK,UP,LOWER_UP>"), r.stdout());
    assertTrue(r.stdout().contains("default via " + Subnet.parse(Networks.DEFAULT_SUBNET).gateway()), r.stdout());
    assertTrue(r.stdout().contains(address + "\tboxy"), r.stdout());
    assertTrue(r.stdout().contains("127.0.0.1\tlocalhost"), r.stdout());
    assertTrue(r.stdout().endsWith("boxy\n"), r.stdout());
  }

  @Test
  void bridge_publishedPorts_answerOnTheHostsLoopback() throws Exception {
    int loopbackOnly = freePort();
    int everywhere = freePort();
    ContainerRecord web = start(RunOptions.defaults().withPublish("127.0.0.1:" + loopbackOnly + ":80")
        .withPublish(everywhere + ":80"), null, "sh", "-c", HTTPD);
    assertEquals("200 hello-from-minke\n", get("http://127.0.0.1:" + loopbackOnly + "/"));
    assertEquals("200 hello-from-minke\n", get("http://127.0.0.1:" + everywhere + "/"));
    assertTrue(new Networks().inspect("bridge").containers().stream().anyMatch(e -> e.containerId().equals(web.id())));
    new Containers(store).remove(web.id(), true);
    assertTrue(new Networks().inspect("bridge").containers().stream().noneMatch(e -> e.containerId().equals(web.id())));
    assertEquals(linksBefore, minkeLinks(), "the last container took the bridge with it");
  }

  @Test
  void userNetwork_membersReachEachOtherByName() throws Exception {
    String name = "it" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    networksHere.add(name);
    Network network = new Networks().create(name);
    assertTrue(network.subnet().startsWith("10.213."), network.toString());
    int port = freePort();
    ContainerRecord web = start(RunOptions.defaults().withNetwork(name).withPublish("127.0.0.1:" + port + ":80"),
        "web-" + name, "sh", "-c", HTTPD);
    assertEquals("200 hello-from-minke\n", get("http://127.0.0.1:" + port + "/"));
    RunResult client = run(RunOptions.defaults().withNetwork(name), "sh", "-c",
        "cat /etc/hosts; printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web-" + name + " 80");
    assertEquals(0, client.exitCode(), client.output());
    assertTrue(client.stdout().contains("hello-from-minke"), client.output());
    String webHosts = sh("cat " + home.resolve("containers").resolve(web.id()).resolve("hosts"));
    assertEquals(2, new Networks().inspect(name).containers().size() + 1, "the client has ended: " + webHosts);
    assertThrows(MinkeException.class, () -> new Networks().remove(name), "web still runs on it");
    new Containers(store).remove(web.id(), true);
    new Networks().remove(name);
    assertFalse(new Networks().list().stream().anyMatch(n -> n.name().equals(name)));
  }

  @Test
  void host_seesTheHostsInterfaces() throws Exception {
    RunResult r = run(RunOptions.defaults().withNetwork("host"), "sh", "-c", "ls /sys/class/net; hostname");
    assertEquals(0, r.exitCode(), r.output());
    List<String> hostLinks = NetworkInterface.networkInterfaces().map(NetworkInterface::getName).sorted().toList();
    List<String> lines = r.stdout().lines().toList();
    for (String link : hostLinks) {
      if (!link.startsWith("veth") && !link.startsWith("minke")) { // others' containers come and go
        assertTrue(lines.contains(link), link + " in " + r.stdout());
      }
    }
    assertEquals(InetAddress.getLocalHost().getHostName(), lines.get(lines.size() - 1));
  }

  @Test
  void portInUse_givesAClearError_andLeavesNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      ContainerStartException e = assertThrows(ContainerStartException.class,
          () -> run(RunOptions.defaults().withPublish("127.0.0.1:" + port + ":80"), "true"));
      assertTrue(e.getMessage().contains("port " + port + "/tcp on 127.0.0.1 is already in use"), e.getMessage());
      assertEquals(linksBefore, minkeLinks());
      assertEquals(rulesBefore, minkeRules());
      assertTrue(new Networks().inspect("bridge").containers().isEmpty() || true);
      ContainerRecord record = new Containers(store).get(startedHere.get(startedHere.size() - 1));
      assertEquals(125, record.exitCode());
      assertFalse(sh("ps -eo args").contains("minke-init"), "no monitor left");
    }
  }

  @Test
  void subnetOnAHostRoute_isRefused() {
    String route = sh("ip -4 -o route show | awk '$1 ~ /\\// {print $1; exit}'").trim();
    assertNotEquals("", route, "the host has a non-default route");
    MinkeException e = assertThrows(MinkeException.class, () -> new Networks().create("itclash", route));
    assertTrue(e.getMessage().contains("collides with the host's route"), e.getMessage());
    assertFalse(new Networks().list().stream().anyMatch(n -> n.name().equals("itclash")));
  }

  @Test
  void aMonitorThatDiedUnseen_isDetachedByTheReaper() throws Exception {
    int port = freePort();
    ContainerRecord web = start(RunOptions.defaults().withPublish("127.0.0.1:" + port + ":80"), null, "sh", "-c", HTTPD);
    assertEquals("200 hello-from-minke\n", get("http://127.0.0.1:" + port + "/"));
    // As if the JVM that ran it and its wrapper were killed: the monitor dies, nobody sees it end.
    ProcessHandle.of(web.monitorPid()).orElseThrow().destroyForcibly();
    for (int i = 0; i < 100 && ProcessHandle.of(web.monitorPid()).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(20);
    }
    assertEquals(ContainerRecord.State.EXITED, new Containers(store).get(web.id()).state());
    assertTrue(new Networks().address(web.id()).isEmpty(), "detached when reaped");
    assertEquals(linksBefore, minkeLinks());
    assertEquals(rulesBefore, minkeRules());
  }

  @Test
  void cli_networkVerbs_andRunFlags() {
    String name = "itcli" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt());
    networksHere.add(name);
    System.setProperty("minke.home", home.toString());
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.PrintStream print = new java.io.PrintStream(out, true);
      assertEquals(0, dev.minke.cli.Main.run(List.of("network", "create", "--subnet", "10.213.251.0/24", name), print,
          print), out.toString());
      assertEquals(0, dev.minke.cli.Main.run(List.of("network", "ls"), print, print));
      assertTrue(out.toString().contains(name + " ") && out.toString().contains("10.213.251.0/24"), out.toString());
      out.reset();
      assertEquals(0, dev.minke.cli.Main.run(List.of("run", "--rm", "--network", name, "-p", "127.0.0.1:0:80",
          BusyboxImage.NAME.toString(), "sh", "-c", "ip -o -4 addr show eth0"), print, print), out.toString());
      assertTrue(out.toString().contains("10.213.251."), out.toString());
      out.reset();
      assertEquals(0, dev.minke.cli.Main.run(List.of("network", "inspect", name), print, print));
      assertTrue(out.toString().contains("\"subnet\" : \"10.213.251.0/24\""), out.toString());
      assertEquals(0, dev.minke.cli.Main.run(List.of("network", "rm", name), print, print));
    } finally {
      System.clearProperty("minke.home");
    }
  }
}
