package dev.minke.runtime.net;

import dev.minke.error.MinkeException;
import dev.minke.image.Json;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Container networks, {@code docker network create|ls|rm|inspect}, and attaching containers to
 * them.
 *
 * <p><b>State is per host, not per store.</b> Bridges, addresses and iptables rules are the
 * host's, so two Minke stores on one machine must share one view of them, or two stores would
 * hand out the same address on {@code minke0}. It lives in {@value #DEFAULT_DIR} (or {@code
 * $MINKE_NETWORK_DIR}): {@code networks/NAME.json} (user-defined networks), {@code ipam/}
 * (host-local's leases), {@code attachments/ID.json} (one per attached container), and {@code
 * lock}, a file lock every change holds, across JVMs.
 *
 * <p><b>Nothing stays in the kernel while nothing runs.</b> There is no daemon, so a network's
 * bridge, its iptables rules and {@code ip_forward} are set up when its first container starts
 * and removed when its last one ends (a user network's definition stays until {@code rm}). The
 * default network {@code bridge} is {@value #DEFAULT_BRIDGE} on {@value #DEFAULT_SUBNET}, away
 * from podman's 10.88.0.0/16 and its user networks from 10.89.0.0/24; user networks get the next
 * free 10.213.N.0/24. A subnet that overlaps a route of the host (other than the network's own
 * bridge) is refused: the kernel would route one of them into the wrong link.
 *
 * <p><b>Names.</b> Members of a user network find each other by name through {@code /etc/hosts}:
 * every member's file lists every member, and is rewritten in place (the file is bind-mounted, so
 * the inode stays) whenever one joins or leaves. That is all Docker's embedded DNS does for
 * names on one host, without a resolver process to run and clean up. On the default {@code
 * bridge}, as in Docker, a container knows only itself.
 */
public final class Networks {
  public static final String DEFAULT_DIR = "/var/lib/minke/network";
  public static final String DEFAULT_BRIDGE = "minke0";
  public static final String DEFAULT_SUBNET = "10.213.0.0/24";
  /** The names Docker reserves: they are the three modes, not networks one can create. */
  public static final List<String> BUILT_IN = List.of("bridge", "host", "none");

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
  private static final ReentrantLock JVM_LOCK = new ReentrantLock(); // file locks are per JVM
  private static final String HOSTS_BASE = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
      + "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

  private final Path dir;

  /** The host's networks ({@code $MINKE_NETWORK_DIR}, default {@value #DEFAULT_DIR}). */
  public Networks() {
    this(Path.of(Optional.ofNullable(System.getenv("MINKE_NETWORK_DIR")).orElse(DEFAULT_DIR)));
  }

  public Networks(Path stateDir) {
    this.dir = stateDir;
  }

  /** Whether bridged networks can work here: root, and the CNI plugins installed. */
  public static boolean bridgeAvailable() {
    return dev.minke.os.Posix.isRoot() && Cni.find().isPresent();
  }

  /** Docker's /etc/hosts of a container without an address of its own ({@code none}). */
  public static String baseHosts() {
    return HOSTS_BASE;
  }

  // ---- docker network create | ls | inspect | rm ----

  /** {@code docker network create NAME}: a bridge network on the next free 10.213.N.0/24. */
  public Network create(String name) {
    return create(name, null);
  }

  /** {@code docker network create --subnet SUBNET NAME}; {@code subnet} null: the next free one. */
  public Network create(String name, String subnet) {
    if (BUILT_IN.contains(name)) {
      throw new MinkeException("\"" + name + "\" is a built-in network", "choose another name");
    }
    if (!NAME.matcher(name).matches()) {
      throw new MinkeException("\"" + name + "\" is not a valid network name",
          "use letters, digits, _ . - (starting with a letter or digit), at most 64");
    }
    requireRoot("create a network");
    return locked(() -> {
      if (Files.exists(definition(name))) {
        throw new MinkeException("network \"" + name + "\" already exists", "remove it first (`minke network rm "
            + name + "`) or choose another name");
      }
      List<Network> others = definitions();
      Subnet chosen;
      if (subnet != null) {
        chosen = parseSubnet(subnet);
        for (Network other : others) {
          if (Subnet.parse(other.subnet()).overlaps(chosen)) {
            throw new MinkeException("subnet " + chosen + " overlaps network \"" + other.name() + "\" ("
                + other.subnet() + ")", "choose another subnet");
          }
        }
        checkRoutes(chosen, null);
      } else {
        chosen = nextFreeSubnet(others);
      }
      Network network = new Network(name, "bridge", chosen.toString(), chosen.gateway(), bridgeName(name),
          Instant.now().toString(), List.of());
      write(definition(name), Json.bytes(network));
      return network;
    });
  }

  /** {@code docker network ls}: the built-in three, then the user networks by name. */
  public List<Network> list() {
    List<Network> all = new ArrayList<>();
    for (String name : BUILT_IN) {
      all.add(inspect(name));
    }
    definitions().stream().sorted(Comparator.comparing(Network::name)).map(n -> withMembers(n)).forEach(all::add);
    return all;
  }

  /** {@code docker network inspect NAME}, with the containers attached now. */
  public Network inspect(String name) {
    return withMembers(definitionOf(name));
  }

  /** {@code docker network rm NAME}: refused while containers run on it. */
  public void remove(String name) {
    if (BUILT_IN.contains(name)) {
      throw new MinkeException("\"" + name + "\" is a built-in network and cannot be removed", "");
    }
    locked(() -> {
      Network network = inspect(name);
      if (!network.containers().isEmpty()) {
        throw new MinkeException("network \"" + name + "\" has running containers: " + network.containers().stream()
            .map(Network.Endpoint::name).toList(), "stop them first");
      }
      try {
        Files.delete(definition(name));
        dev.minke.os.FileTrees.delete(dir.resolve("ipam").resolve("minke-" + name)); // host-local's leases
      } catch (IOException e) {
        throw new StoreIOException("removing network " + name + " from", dir, e);
      }
      return null;
    });
  }

  // ---- attaching containers ----

  /**
   * Attaches a parked container to a bridged network: checks the published ports are free, runs
   * CNI ADD on {@code /proc/PID/ns/net} (veth {@code eth0}, an address, the default route), adds
   * the network's and the ports' iptables rules, and writes the members' {@code /etc/hosts}.
   * Either all of it happens or none: a failure undoes the part that was done.
   *
   * @return the container's address
   */
  public String attach(String containerId, String name, String hostname, long pid, String networkName,
      List<PortMapping> ports, Path hostsFile) {
    requireRoot("attach a container to network \"" + networkName + "\"");
    Cni cni = Cni.require();
    return locked(() -> {
      Network network = definitionOf(networkName);
      if (!network.bridged()) {
        throw new IllegalArgumentException(networkName + " is not a bridged network");
      }
      List<Attachment> all = attachments();
      List<PortMapping> resolved = checkPorts(ports, all);
      if (all.stream().noneMatch(a -> a.network().equals(networkName))) {
        checkRoutes(Subnet.parse(network.subnet()), network.bridge());
      }
      if (all.isEmpty()) {
        rememberIpForward();
      }
      String config = cniConfig(network);
      String address = cni.add(config, containerId, "/proc/" + pid + "/ns/net");
      Attachment attachment = new Attachment(containerId, name, hostname, networkName, address, resolved, config,
          hostsFile == null ? null : hostsFile.toString());
      write(attachmentFile(containerId), Json.bytes(attachment));
      try {
        Firewall firewall = new Firewall();
        firewall.ensureChains();
        for (List<String> rule : firewall.networkRules(network)) {
          firewall.ensure(rule, false);
        }
        for (List<String> rule : firewall.portRules(attachment)) {
          firewall.ensure(rule, false);
        }
        // A published port reached on 127.0.0.1 is routed into the bridge: allow it (research §4).
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf/" + network.bridge() + "/route_localnet"), "1");
        writeHostsFiles(networkName);
      } catch (RuntimeException | IOException e) {
        detachLocked(containerId, pid);
        if (e instanceof MinkeException m) {
          throw m;
        }
        throw new MinkeException("attaching the container to network \"" + networkName + "\" failed: "
            + e.getMessage(), "");
      }
      return address;
    });
  }

  /** The ports a container publishes (host port 0 replaced by the one chosen), while attached. */
  public List<PortMapping> ports(String containerId) {
    return readAttachment(containerId).map(Attachment::ports).orElse(List.of());
  }

  /** The container's address on its network, while attached. */
  public Optional<String> address(String containerId) {
    return readAttachment(containerId).map(Attachment::address);
  }

  /**
   * Undoes {@link #attach}: the ports' rules, CNI DEL, and, with the network's last member, its
   * rules and bridge; with the host's last member, Minke's chains, and {@code ip_forward} as it
   * was. Idempotent: a container that is not attached is fine. {@code livePid} (0: none) is the
   * container's PID only while it is still alive and parked; otherwise DEL gets no namespace
   * (the veth went with it), since a stale PID could by now be another process's.
   */
  public void detach(String containerId, long livePid) {
    if (!Files.exists(attachmentFile(containerId))) {
      return;
    }
    locked(() -> {
      detachLocked(containerId, livePid);
      return null;
    });
  }

  private void detachLocked(String containerId, long livePid) {
    Optional<Attachment> found = readAttachment(containerId);
    if (found.isEmpty()) {
      return;
    }
    Attachment a = found.get();
    Firewall firewall = new Firewall();
    firewall.portRules(a).forEach(firewall::delete);
    Cni.find().ifPresent(cni -> cni.del(a.cniConfig(), containerId, livePid > 0 ? "/proc/" + livePid + "/ns/net" : "")
        .ifPresent(error -> System.getLogger(Networks.class.getName()).log(System.Logger.Level.WARNING,
            "CNI DEL of container {0}: {1}", containerId, error)));
    try {
      Files.deleteIfExists(attachmentFile(containerId));
    } catch (IOException e) {
      throw new StoreIOException("removing the attachment of " + containerId + " from", dir, e);
    }
    List<Attachment> rest = attachments();
    Optional<Network> network = findDefinition(a.network());
    if (rest.stream().noneMatch(r -> r.network().equals(a.network()))) {
      network.ifPresent(n -> {
        firewall.networkRules(n).forEach(firewall::delete);
        if (linkExists(n.bridge())) {
          HostCommand.run("ip", "link", "del", n.bridge());
        }
      });
    } else {
      writeHostsFiles(a.network());
    }
    if (rest.isEmpty()) {
      firewall.removeChains();
      restoreIpForward();
    }
  }

  // ---- helpers ----

  private List<PortMapping> checkPorts(List<PortMapping> ports, List<Attachment> attached) {
    List<PortMapping> resolved = new ArrayList<>();
    for (PortMapping p : ports) {
      PortMapping port = p.hostPort() == 0 ? p.withHostPort(freePort(p)) : p;
      for (Attachment a : attached) {
        for (PortMapping taken : a.ports()) {
          if (taken.clashes(port)) {
            throw new MinkeException("port " + port.hostPort() + "/" + port.protocol() + " is already published by container "
                + a.name() + " (" + taken + ")", "choose another host port, or stop " + a.name());
          }
        }
      }
      for (PortMapping earlier : resolved) {
        if (earlier.clashes(port)) {
          throw new MinkeException("port " + port.hostPort() + " is published twice", "give each -p its own host port");
        }
      }
      String inUse = bindTest(port);
      if (inUse != null) {
        throw new MinkeException("port " + port.hostPort() + "/" + port.protocol() + " on " + port.hostIp()
            + " is already in use on this host (" + inUse + ")", "choose another host port, or stop what listens on it");
      }
      resolved.add(port);
    }
    return resolved;
  }

  /** Null if the host port can be bound now, else why not. */
  private static String bindTest(PortMapping port) {
    InetSocketAddress address = new InetSocketAddress(hostAddress(port), port.hostPort());
    try {
      if (port.protocol().equals("udp")) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
          socket.bind(address);
        }
      } else {
        try (ServerSocket socket = new ServerSocket()) {
          socket.setReuseAddress(true); // a TIME_WAIT of an earlier run is not "in use"
          socket.bind(address);
        }
      }
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private static int freePort(PortMapping port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(hostAddress(port), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new MinkeException("no free port on " + port.hostIp() + ": " + e.getMessage(), "");
    }
  }

  private static InetAddress hostAddress(PortMapping port) {
    try {
      return InetAddress.getByName(port.hostIp());
    } catch (IOException e) {
      throw new IllegalArgumentException(port.hostIp(), e);
    }
  }

  /** Refuses a subnet that overlaps a route of the host's, except one through {@code ownBridge}. */
  static void checkRoutes(Subnet subnet, String ownBridge) {
    HostCommand.Result routes = HostCommand.run("ip", "-4", "-o", "route", "show", "table", "all");
    if (!routes.ok()) {
      routes = HostCommand.run("ip", "-4", "-o", "route", "show");
    }
    for (String line : routes.stdout().lines().toList()) {
      String[] words = line.trim().split("\\s+");
      int i = 0;
      if (words.length > 1 && !Character.isDigit(words[0].charAt(0)) && !words[0].equals("default")) {
        i = 1; // unreachable, blackhole, local, broadcast...
      }
      if (words[0].equals("local") || words[0].equals("broadcast") || words[i].equals("default")
          || !Character.isDigit(words[i].charAt(0))) {
        continue;
      }
      String dev = null;
      for (int k = i; k + 1 < words.length; k++) {
        if (words[k].equals("dev")) {
          dev = words[k + 1];
        }
      }
      if (ownBridge != null && ownBridge.equals(dev)) {
        continue;
      }
      Subnet route = Subnet.parse(words[i].contains("/") ? words[i] : words[i] + "/32");
      if (route.overlaps(subnet)) {
        throw new MinkeException("subnet " + subnet + " collides with the host's route \"" + line.trim()
            + "\": containers there would be unreachable",
            "choose another subnet, e.g. Networks.create(name) picks a free 10.213.N.0/24");
      }
    }
  }

  private Subnet nextFreeSubnet(List<Network> others) {
    for (int n = 1; n < 256; n++) {
      Subnet candidate = Subnet.parse("10.213." + n + ".0/24");
      if (others.stream().anyMatch(o -> Subnet.parse(o.subnet()).overlaps(candidate))) {
        continue;
      }
      try {
        checkRoutes(candidate, null);
        return candidate;
      } catch (MinkeException e) {
        // taken by a route: the next one
      }
    }
    throw new MinkeException("no free subnet left in 10.213.0.0/16", "give one: Networks.create(name, \"10.x.y.0/24\")");
  }

  private static Subnet parseSubnet(String text) {
    try {
      Subnet subnet = Subnet.parse(text);
      if (subnet.prefix() < 8 || subnet.prefix() > 29) {
        throw new IllegalArgumentException("a container subnet needs a prefix from /8 to /29, not /" + subnet.prefix());
      }
      return subnet;
    } catch (IllegalArgumentException e) {
      throw new MinkeException(e.getMessage(), "e.g. 10.213.7.0/24");
    }
  }

  /** {@code minke-NAME}, or when longer than a link name may be (15), a prefix and a hash. */
  public static String bridgeName(String network) {
    String name = "minke-" + network;
    if (name.length() <= 15) {
      return name;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(network.getBytes(StandardCharsets.UTF_8));
      return "minke-" + network.substring(0, 4) + "-" + HexFormat.of().formatHex(hash).substring(0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String cniConfig(Network network) {
    var root = Json.mapper().createObjectNode();
    root.put("cniVersion", "1.0.0").put("name", "minke-" + network.name()).put("type", "bridge")
        .put("bridge", network.bridge()).put("isGateway", true).put("ipMasq", false).put("hairpinMode", true);
    var ipam = root.putObject("ipam");
    ipam.put("type", "host-local");
    ipam.putArray("ranges").addArray().addObject().put("subnet", network.subnet()).put("gateway", network.gateway());
    ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    ipam.put("dataDir", dir.resolve("ipam").toString());
    return root.toString();
  }

  private void writeHostsFiles(String networkName) {
    List<Attachment> members = attachments().stream().filter(a -> a.network().equals(networkName)).toList();
    boolean shareNames = !networkName.equals("bridge");
    for (Attachment member : members) {
      if (member.hostsFile() == null) {
        continue;
      }
      StringBuilder hosts = new StringBuilder(HOSTS_BASE);
      hosts.append(member.address()).append('\t').append(member.hostname());
      if (!member.name().equals(member.hostname())) {
        hosts.append(' ').append(member.name());
      }
      hosts.append('\n');
      if (shareNames) {
        for (Attachment other : members) {
          if (!other.containerId().equals(member.containerId())) {
            hosts.append(other.address()).append('\t').append(other.name());
            if (!other.hostname().equals(other.name())) {
              hosts.append(' ').append(other.hostname());
            }
            hosts.append('\n');
          }
        }
      }
      try {
        // In place: the container sees the file through a bind mount of this inode.
        Files.writeString(Path.of(member.hostsFile()), hosts, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        // A member being removed: its file is gone, nothing to update.
      }
    }
  }

  private void rememberIpForward() {
    Path marker = dir.resolve("ip_forward.before");
    try {
      String now = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
      if (!Files.exists(marker)) {
        write(marker, now.getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      // Not readable: nothing to restore later.
    }
  }

  private void restoreIpForward() {
    Path marker = dir.resolve("ip_forward.before");
    try {
      String before = Files.readString(marker).trim();
      if (before.equals("0")) {
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "0");
      }
      Files.delete(marker);
    } catch (NoSuchFileException e) {
      // Nothing recorded.
    } catch (IOException e) {
      System.getLogger(Networks.class.getName()).log(System.Logger.Level.WARNING,
          "could not restore net.ipv4.ip_forward: {0}", e.getMessage());
    }
  }

  private static boolean linkExists(String name) {
    return Files.exists(Path.of("/sys/class/net", name));
  }

  private static void requireRoot(String what) {
    if (!dev.minke.os.Posix.isRoot()) {
      throw new MinkeException("only root can " + what + ": bridges, veth pairs and iptables need it",
          "run Minke as root, or use network \"none\" or \"host\"");
    }
  }

  private Network withMembers(Network network) {
    List<Network.Endpoint> members = attachments().stream().filter(a -> a.network().equals(network.name()))
        .map(a -> new Network.Endpoint(a.containerId(), a.name(), a.address())).toList();
    return network.withContainers(members);
  }

  private Network definitionOf(String name) {
    return findDefinition(name).orElseThrow(() -> new MinkeException("network \"" + name + "\" not found",
        "create it first (`minke network create " + name + "`); `minke network ls` lists them"));
  }

  private Optional<Network> findDefinition(String name) {
    switch (name) {
      case "bridge":
        return Optional.of(new Network("bridge", "bridge", DEFAULT_SUBNET, Subnet.parse(DEFAULT_SUBNET).gateway(),
            DEFAULT_BRIDGE, null, List.of()));
      case "host":
        return Optional.of(new Network("host", "host", null, null, null, null, List.of()));
      case "none":
        return Optional.of(new Network("none", "null", null, null, null, null, List.of()));
      default:
        if (!NAME.matcher(name).matches()) {
          return Optional.empty();
        }
        try {
          return Optional.of(Json.read(Files.readAllBytes(definition(name)), Network.class));
        } catch (NoSuchFileException e) {
          return Optional.empty();
        } catch (IOException e) {
          throw new StoreIOException("reading", definition(name), e);
        }
    }
  }

  /** The user networks plus the default bridge, for subnet clashes. */
  private List<Network> definitions() {
    List<Network> all = new ArrayList<>();
    Path networks = dir.resolve("networks");
    if (Files.isDirectory(networks)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(networks, "*.json")) {
        for (Path file : files) {
          all.add(Json.read(Files.readAllBytes(file), Network.class));
        }
      } catch (IOException e) {
        throw new StoreIOException("listing", networks, e);
      }
    }
    return all;
  }

  private List<Attachment> attachments() {
    List<Attachment> all = new ArrayList<>();
    Path attachments = dir.resolve("attachments");
    if (Files.isDirectory(attachments)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(attachments, "*.json")) {
        for (Path file : files) {
          try {
            all.add(Json.read(Files.readAllBytes(file), Attachment.class));
          } catch (NoSuchFileException e) {
            // Detached meanwhile.
          }
        }
      } catch (IOException e) {
        throw new StoreIOException("listing", attachments, e);
      }
    }
    return all;
  }

  private Optional<Attachment> readAttachment(String containerId) {
    try {
      return Optional.of(Json.read(Files.readAllBytes(attachmentFile(containerId)), Attachment.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIOException("reading", attachmentFile(containerId), e);
    }
  }

  private Path definition(String name) {
    return dir.resolve("networks").resolve(name + ".json");
  }

  private Path attachmentFile(String containerId) {
    return dir.resolve("attachments").resolve(containerId + ".json");
  }

  private void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StoreIOException("writing", file, e);
    }
  }

  private <T> T locked(Supplier<T> action) {
    JVM_LOCK.lock();
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        return action.get();
      }
    } catch (IOException e) {
      throw new StoreIOException("locking the networks in", dir, e);
    } finally {
      JVM_LOCK.unlock();
    }
  }
}
