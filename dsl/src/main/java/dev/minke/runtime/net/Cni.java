package dev.minke.runtime.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.error.MinkeException;
import dev.minke.image.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a CNI plugin by the CNI spec (1.0.0): the command in {@code CNI_COMMAND}, the container,
 * its network namespace and interface in {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code
 * CNI_IFNAME}, the plugin directory in {@code CNI_PATH} (host-local is found there by the bridge
 * plugin), the network config as JSON on stdin, the result (or an error object) on stdout.
 *
 * <p>Why CNI rather than Minke's own {@code ip link} calls: the {@code bridge} plugin does the
 * fiddly netlink work (veth pair, moving it into the namespace, naming it {@code eth0}, address,
 * default route, hairpin, bringing up the bridge with its gateway address) and {@code host-local}
 * allocates addresses with its own lock and lease files, so concurrent starts from several JVMs
 * never get the same address. Both are the field's standard (podman, containerd, Kubernetes use
 * them), installed here as Debian's containernetworking-plugins, and their DEL is idempotent, also
 * when the namespace is gone already (a container that ended).
 */
final class Cni {
  private static final List<Path> PLUGIN_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"),
      Path.of("/usr/libexec/cni"), Path.of("/usr/local/lib/cni"));

  private final Path pluginDir;

  private Cni(Path pluginDir) {
    this.pluginDir = pluginDir;
  }

  /** The plugins, if {@code bridge} and {@code host-local} are installed ({@code $CNI_PATH} first). */
  static Optional<Cni> find() {
    String env = System.getenv("CNI_PATH");
    if (env != null) {
      for (String dir : env.split(":")) {
        if (!dir.isEmpty() && complete(Path.of(dir))) {
          return Optional.of(new Cni(Path.of(dir)));
        }
      }
    }
    return PLUGIN_DIRS.stream().filter(Cni::complete).findFirst().map(Cni::new);
  }

  static Cni require() {
    return find().orElseThrow(() -> new MinkeException(
        "bridge networking needs the CNI plugins bridge and host-local, found in none of " + PLUGIN_DIRS,
        "install them (Debian: apt-get install containernetworking-plugins) or run with network \"none\" or \"host\""));
  }

  private static boolean complete(Path dir) {
    return Files.isExecutable(dir.resolve("bridge")) && Files.isExecutable(dir.resolve("host-local"));
  }

  /** ADD: returns the container's address (without prefix length) from the result. */
  String add(String config, String containerId, String netns) {
    HostCommand.Result result = invoke("ADD", config, containerId, netns);
    JsonNode json = parse(result.stdout());
    if (!result.ok() || json == null || !json.path("ips").isArray() || json.path("ips").isEmpty()) {
      throw new MinkeException("the CNI bridge plugin could not attach the container: " + error(result, json),
          "see `ip -br link` and `ip route`; the network's subnet must not clash with a route of the host");
    }
    String address = json.path("ips").get(0).path("address").asText();
    return address.substring(0, address.indexOf('/'));
  }

  /** DEL; returns the error text, if any (a teardown goes on regardless). */
  Optional<String> del(String config, String containerId, String netns) {
    HostCommand.Result result = invoke("DEL", config, containerId, netns);
    return result.ok() ? Optional.empty() : Optional.of(error(result, parse(result.stdout())));
  }

  private HostCommand.Result invoke(String command, String config, String containerId, String netns) {
    String type = parse(config).path("type").asText();
    Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId, "CNI_NETNS", netns,
        "CNI_IFNAME", "eth0", "CNI_PATH", pluginDir.toString());
    return HostCommand.run(List.of(pluginDir.resolve(type).toString()), env, config.getBytes(StandardCharsets.UTF_8));
  }

  private static String error(HostCommand.Result result, JsonNode json) {
    if (json != null && json.has("msg")) {
      return json.path("msg").asText() + (json.hasNonNull("details") ? ": " + json.path("details").asText() : "");
    }
    return result.message().isEmpty() ? "status " + result.status() : result.message();
  }

  private static JsonNode parse(String text) {
    try {
      return text.isBlank() ? null : Json.mapper().readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
