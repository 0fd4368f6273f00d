package dev.minke.dsl;

import dev.minke.registry.Reference;
import dev.minke.runtime.MountSpec;
import dev.minke.runtime.net.PortMapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One service of a {@link Stack}, as a compose file declares it: an image, and the {@code run}
 * flags its container gets (command, environment, volumes, published ports, hostname, init), plus
 * the services it depends on. Every call returns a new value; flags are checked when given.
 *
 * <p>{@code imageName} is the image as the user named it ({@code "busybox"}), or null when an
 * {@link Image} value was given ({@code image}); exactly one of the two is set. {@code command}
 * empty means the image's CMD; {@code hostname} null means the service name.
 */
public record Service(String name, String imageName, Image image, List<String> command, Map<String, String> env,
    List<String> volumes, List<String> ports, List<String> dependsOn, String hostname, boolean init) {

  /** Compose's service names, lowercase so that they work as host names and in container names. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
  /** RFC 1123 host names: labels of letters, digits and inner dashes. */
  private static final Pattern HOSTNAME =
      Pattern.compile("(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");

  public Service {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid service name \"" + name
          + "\": use lowercase letters, digits, _ . - (starting with a letter or digit), at most 63");
    }
    if ((imageName == null) == (image == null)) {
      throw new IllegalArgumentException("service " + name + " needs exactly one image: a name or an Image value");
    }
    if (imageName != null) {
      Reference.parse(imageName); // a bad name fails here, with the reference grammar's message
    }
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    ports = ports == null ? List.of() : List.copyOf(ports);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    if (hostname != null && !HOSTNAME.matcher(hostname).matches()) {
      throw new IllegalArgumentException("invalid hostname \"" + hostname + "\" for service " + name
          + ": use letters, digits and dashes, dot-separated labels of at most 63");
    }
  }

  /** A service running the image a name refers to in the store, e.g. {@code Service.of("db", "busybox")}. */
  public static Service of(String name, String imageName) {
    return new Service(name, imageName, null, null, null, null, null, null, null, false);
  }

  /** A service running an image value, e.g. one just built. */
  public static Service of(String name, Image image) {
    return new Service(name, null, image, null, null, null, null, null, null, false);
  }

  /** The command, replacing the image's CMD (compose {@code command:}, list form). */
  public Service command(String... argv) {
    return command(List.of(argv));
  }

  /** The command as a list. */
  public Service command(List<String> argv) {
    return new Service(name, imageName, image, argv, env, volumes, ports, dependsOn, hostname, init);
  }

  /** Sets one environment variable (compose {@code environment:}); a later value for a name replaces it. */
  public Service env(String key, String value) {
    if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid environment variable name \"" + key + "\" for service " + name
          + ": it must be non-empty and contain no = or NUL");
    }
    if (value == null || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the value of " + key + " for service " + name + " must be a string without NUL");
    }
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(key, value);
    return new Service(name, imageName, image, command, more, volumes, ports, dependsOn, hostname, init);
  }

  /**
   * Adds a mount in Docker's {@code -v} syntax: {@code data:/var/lib/x} (the stack's named volume
   * {@code data}, which is {@code <stack>_data} in the store, as compose names it), {@code
   * /host:/path[:ro]} (a bind) or {@code /path} (an anonymous volume, removed by {@code down()}).
   */
  public Service volume(String spec) {
    mount(spec, "stack"); // checked now, not at up()
    List<String> more = new ArrayList<>(volumes);
    more.add(spec);
    return new Service(name, imageName, image, command, env, more, ports, dependsOn, hostname, init);
  }

  /** Publishes a port: {@code "8080:80"}, {@code "127.0.0.1:8080:80"}, {@code "53:53/udp"}. */
  public Service port(String mapping) {
    PortMapping.parse(mapping);
    List<String> more = new ArrayList<>(ports);
    more.add(mapping);
    return new Service(name, imageName, image, command, env, volumes, more, dependsOn, hostname, init);
  }

  /** Starts after the named services ({@code depends_on}: started, not necessarily ready). */
  public Service dependsOn(String... services) {
    List<String> more = new ArrayList<>(dependsOn);
    for (String service : services) {
      if (service.equals(name)) {
        throw new IllegalArgumentException("service " + name + " cannot depend on itself");
      }
      if (!more.contains(service)) {
        more.add(service);
      }
    }
    return new Service(name, imageName, image, command, env, volumes, ports, more, hostname, init);
  }

  /**
   * The container's host name (default: the service name). Members of the stack's network find
   * the container by its host name and by its container name {@code <stack>-<service>}; with a
   * host name other than the service name, the bare service name does not resolve.
   */
  public Service hostname(String newHostname) {
    return new Service(name, imageName, image, command, env, volumes, ports, dependsOn, newHostname, init);
  }

  /** Runs a small init as PID 1 (compose {@code init: true}), so that {@code down()} stops it at once. */
  public Service init(boolean newInit) {
    return new Service(name, imageName, image, command, env, volumes, ports, dependsOn, hostname, newInit);
  }

  /** The host name the container gets: the one given, else the service name. */
  public String effectiveHostname() {
    return hostname != null ? hostname : name;
  }

  /** The image as a compose file names it: the name given, or the image value's name or digest. */
  public String imageText() {
    if (imageName != null) {
      return imageName;
    }
    return image.reference().map(Reference::familiar).orElse(image.digest().toString());
  }

  /** The named volumes this service mounts, by their names in the stack ({@code data}, not {@code <stack>_data}). */
  public List<String> namedVolumes() {
    return volumes.stream().map(v -> mount(v, "s")).filter(m -> m.type() == MountSpec.Type.VOLUME && m.source() != null)
        .map(m -> m.source().substring(2)).toList();
  }

  /**
   * A {@code -v} spec as a mount of the stack {@code stack}: a named volume {@code data} becomes
   * {@code <stack>_data} (so a one-letter name, too short for the store alone, is fine, as in
   * compose); binds and anonymous volumes are as given.
   */
  static MountSpec mount(String spec, String stack) {
    int colon = spec.indexOf(':');
    boolean named = colon > 0 && !spec.startsWith("/") && !spec.startsWith(".");
    return MountSpec.parseVolumeFlag(named ? stack + "_" + spec : spec);
  }

  @Override
  public String toString() {
    return "Service[" + name + " " + imageText() + (command.isEmpty() ? "" : " " + String.join(" ", command))
        + (dependsOn.isEmpty() ? "" : " after " + String.join(",", dependsOn)) + "]";
  }
}
