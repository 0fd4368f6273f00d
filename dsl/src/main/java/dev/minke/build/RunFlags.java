package dev.minke.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flags of one RUN step: the network it gets and its mounts. {@code default} and {@code
 * host} share the host's network (Docker's RUN default); {@code none} gives an empty network
 * namespace with only {@code lo}. {@code mounts} are {@code --mount=type=cache|secret,…}.
 */
public record RunFlags(String network, List<RunMount> mounts) {
  public RunFlags {
    network = network == null ? "default" : network.toLowerCase(Locale.ROOT);
    if (!network.equals("default") && !network.equals("none") && !network.equals("host")) {
      throw new IllegalArgumentException(
          "unknown RUN network \"" + network + "\": use \"default\", \"none\" or \"host\"");
    }
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    List<String> targets = new ArrayList<>();
    for (RunMount mount : mounts) {
      if (targets.contains(mount.target())) {
        throw new IllegalArgumentException("two RUN mounts at " + mount.target());
      }
      targets.add(mount.target());
    }
  }

  public RunFlags(String network) {
    this(network, List.of());
  }

  public static RunFlags defaults() {
    return new RunFlags("default");
  }

  /** {@code RUN --network=…}. */
  public RunFlags withNetwork(String newNetwork) {
    return new RunFlags(newNetwork, mounts);
  }

  /** Adds a mount ({@code RUN --mount=…}). */
  public RunFlags withMount(RunMount mount) {
    List<RunMount> more = new ArrayList<>(mounts);
    more.add(mount);
    return new RunFlags(network, more);
  }

  /** {@code RUN --mount=type=cache,target=…}: a directory kept across builds, keyed by its target. */
  public RunFlags withCacheMount(String target) {
    return withMount(new RunMount.Cache(target, null, null));
  }

  /** {@code RUN --mount=type=cache,target=…,id=…,sharing=shared|private|locked}. */
  public RunFlags withCacheMount(String target, String id, String sharing) {
    return withMount(new RunMount.Cache(target, id, sharing));
  }

  /** {@code RUN --mount=type=secret,id=…}: the secret at {@code /run/secrets/<id>}. */
  public RunFlags withSecret(String id) {
    return withMount(new RunMount.Secret(id, null));
  }

  /** {@code RUN --mount=type=secret,id=…,target=…}. */
  public RunFlags withSecret(String id, String target) {
    return withMount(new RunMount.Secret(id, target));
  }

  /** Whether the step gets its own, empty network namespace. */
  public boolean isolatedNetwork() {
    return network.equals("none");
  }

  /** The flags as Dockerfile text, e.g. {@code --network=none } (empty for defaults). */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (RunMount mount : mounts) {
      text.append("--mount=").append(mount.text()).append(' ');
    }
    if (!network.equals("default")) {
      text.append("--network=").append(network).append(' ');
    }
    return text.toString();
  }
}
