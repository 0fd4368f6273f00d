package dev.minke.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.minke.error.MinkeException;
import dev.minke.image.Json;
import dev.minke.os.Posix;
import dev.minke.runtime.net.Network;
import dev.minke.runtime.net.Networks;
import dev.minke.runtime.net.PortMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A container's network, from {@code create} to its end: the mode ({@code none}, {@code host}, or a
 * bridged network) and published ports kept in {@value #PLAN} in the container's directory; its
 * {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf}, files in that directory
 * bind-mounted over the image's (as Docker does, so they never enter the container's diff or a
 * commit with content); and the handshake with minke-init ({@code net_sync=}, see
 * dsl/src/main/c/README.md): minke-init reports {@code netns PID} with the container parked before
 * any setup, Java attaches it ({@link Networks#attach}) and answers {@code 1}, and only then does
 * the container go on to exec its command. {@link #release} undoes the attachment when the
 * container ends, fails to start or is removed, from whichever JVM sees it first.
 *
 * <p>Networking is minke-init's: with runc or crun a bridged container gets its own namespace
 * with loopback only.
 */
final class ContainerNetworking {
  static final String PLAN = "network.json";
  private static final String SYNC_FIFO = "net.sync";
  private static final long NETNS_TIMEOUT_MILLIS = 30_000;

  /** What create decided; {@code network} is none, host, or a bridged network's name. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Plan(String network, List<PortMapping> ports, String name, String hostname) {
    boolean bridged() {
      return !network.equals("none") && !network.equals("host");
    }
  }

  private ContainerNetworking() {}

  /** The network a run gets: the one asked for, else {@code bridge} where it can work, else {@code none}. */
  static String network(RunOptions options) {
    if (options.network() != null) {
      return options.network();
    }
    return Networks.bridgeAvailable() ? "bridge" : "none";
  }

  /** Fails early, before anything is made, when the network cannot be had. */
  static void validate(RunOptions options) {
    String network = network(options);
    if (network.equals("none") || network.equals("host")) {
      return;
    }
    if (!Posix.isRoot()) {
      throw new MinkeException("network \"" + network + "\" needs root: a bridge, veth pairs and iptables rules",
          "run rootless containers with withNetwork(\"none\") or withNetwork(\"host\")");
    }
    Network found = new Networks().inspect(network); // throws when it does not exist
    if (!found.bridged()) {
      throw new IllegalStateException(network);
    }
  }

  /** Writes the plan and the three files into the container's directory. */
  static void prepare(Path dir, RunOptions options, String name, String hostname) {
    String network = network(options);
    Plan plan = new Plan(network, network.equals("host") ? List.of() : options.ports(), name, hostname);
    try {
      Files.write(dir.resolve(PLAN), Json.bytes(plan));
      Files.writeString(dir.resolve("hostname"), hostname + "\n");
      String hosts = network.equals("host") ? readOr(Path.of("/etc/hosts"), Networks.baseHosts())
          : Networks.baseHosts();
      Files.writeString(dir.resolve("hosts"), hosts);
      Files.writeString(dir.resolve("resolv.conf"), resolvConf(network.equals("host")));
    } catch (IOException e) {
      throw new dev.minke.store.StoreIOException("writing the network files of", dir, e);
    }
  }

  /**
   * The host's resolv.conf; on a network of its own a nameserver on the host's loopback cannot
   * be reached, so then Docker's fallback, Google's public servers.
   */
  private static String resolvConf(boolean hostNetwork) {
    String host = readOr(Path.of("/etc/resolv.conf"), "");
    if (hostNetwork) {
      return host;
    }
    StringBuilder kept = new StringBuilder();
    boolean nameserver = false;
    for (String line : host.lines().toList()) {
      if (line.trim().matches("nameserver\\s+(127\\.|::1).*")) {
        continue;
      }
      nameserver |= line.trim().startsWith("nameserver");
      kept.append(line).append('\n');
    }
    if (!nameserver) {
      kept.append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }
    return kept.toString();
  }

  private static String readOr(Path file, String otherwise) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return otherwise;
    }
  }

  private static Optional<Plan> plan(Path dir) {
    try {
      return Optional.of(Json.read(Files.readAllBytes(dir.resolve(PLAN)), Plan.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new dev.minke.store.StoreIOException("reading", dir.resolve(PLAN), e);
    }
  }

  /**
   * The minke-init records for the network: the three files bound over the image's, and for a
   * bridged network {@code net_sync=} (a FIFO made here). Empty for a container made before
   * networking existed.
   */
  static byte[] initRecords(Path dir) throws IOException {
    Optional<Plan> plan = plan(dir);
    if (plan.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> userTargets = userMountTargets(dir);
    for (String file : List.of("hostname", "hosts", "resolv.conf")) {
      // A mount the user asked for at /etc or at the file itself wins: binding our file there
      // would write a mount point into the user's (possibly read-only) host directory.
      if (userTargets.contains("/etc") || userTargets.contains("/etc/" + file)) {
        continue;
      }
      out.writeBytes(InitSpec.record("mount", "/etc/" + file + "|bind|" + dir.resolve(file) + "|bind,rprivate"));
    }
    if (plan.get().bridged()) {
      Path fifo = dir.resolve(SYNC_FIFO);
      Files.deleteIfExists(fifo);
      Posix.mknod(fifo, Posix.NodeType.FIFO, 0600, 0, 0);
      out.writeBytes(InitSpec.record("net_sync", fifo.toString()));
    }
    return out.toByteArray();
  }

  /** Destinations of the mounts in the container's config.json (volumes, binds, tmpfs). */
  private static List<String> userMountTargets(Path dir) throws IOException {
    Path config = dir.resolve("config.json");
    if (!Files.exists(config)) {
      return List.of();
    }
    RuntimeSpec spec = Json.read(Files.readAllBytes(config), RuntimeSpec.class);
    return spec.mounts().stream().map(RuntimeSpec.Mount::destination).map(d -> d.replaceAll("/+$", "")).toList();
  }

  /** The spec with the network's records appended. */
  static byte[] withNetwork(byte[] spec, Path dir) throws IOException {
    byte[] more = initRecords(dir);
    byte[] all = new byte[spec.length + more.length];
    System.arraycopy(spec, 0, all, 0, spec.length);
    System.arraycopy(more, 0, all, spec.length, more.length);
    return all;
  }

  /**
   * For a bridged container just started by minke-init: waits for {@code netns PID}, attaches the
   * container and releases it. When the attach fails, minke-init is told so (it ends with {@code
   * error net_sync}, status 125) and the reason is thrown.
   */
  static void connect(String id, Path dir, ContainerProcess process) throws IOException {
    Optional<Plan> plan = plan(dir);
    if (plan.isEmpty() || !plan.get().bridged()) {
      return;
    }
    long pid = awaitNetns(dir.resolve("init.report"), process.monitor());
    if (pid <= 0) {
      return; // minke-init failed before: its report says why, as for any setup step
    }
    byte answer = '0';
    try {
      Plan p = plan.get();
      new Networks().attach(id, p.name(), p.hostname(), pid, p.network(), p.ports(), dir.resolve("hosts"));
      answer = '1';
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      // O_RDWR, as minke-init holds it: never blocks, and the byte waits in the pipe.
      try (FileChannel fifo = FileChannel.open(dir.resolve(SYNC_FIFO), StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        fifo.write(ByteBuffer.wrap(new byte[] {answer}));
      }
    }
  }

  private static long awaitNetns(Path report, Process monitor) throws IOException {
    long deadline = System.currentTimeMillis() + NETNS_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      String text;
      try {
        text = new String(Files.readAllBytes(report), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        text = "";
      }
      for (String line : text.split("\n")) {
        if (line.startsWith("netns ")) {
          return Long.parseLong(line.substring(6).trim());
        }
        if (line.startsWith("error ")) {
          return 0;
        }
      }
      if (!monitor.isAlive()) {
        return 0;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the container's network namespace");
      }
    }
    throw new IOException("minke-init did not report the container's network namespace in "
        + NETNS_TIMEOUT_MILLIS / 1000 + " s");
  }

  /**
   * Detaches the container from its network, if it is attached: it ended, failed to start or is
   * being removed. Never throws: a teardown problem is logged, and the next look retries.
   */
  static void release(Path dir, String id) {
    try {
      Optional<Plan> plan = plan(dir);
      if (plan.isPresent() && plan.get().bridged()) {
        new Networks().detach(id, 0);
      }
    } catch (RuntimeException e) {
      System.getLogger(ContainerNetworking.class.getName()).log(System.Logger.Level.WARNING,
          "detaching container {0} from its network: {1}", id, e.getMessage());
    }
  }
}
