package dev.minke.build;

import java.util.Locale;

/**
 * The flags of one RUN step: the network it gets. {@code default} and {@code host} share the
 * host's network (Docker's RUN default); {@code none} gives an empty network namespace with
 * only {@code lo}.
 */
public record RunFlags(String network) {
  public RunFlags {
    network = network == null ? "default" : network.toLowerCase(Locale.ROOT);
    if (!network.equals("default") && !network.equals("none") && !network.equals("host")) {
      throw new IllegalArgumentException(
          "unknown RUN network \"" + network + "\": use \"default\", \"none\" or \"host\"");
    }
  }

  public static RunFlags defaults() {
    return new RunFlags("default");
  }

  /** {@code RUN --network=…}. */
  public RunFlags withNetwork(String newNetwork) {
    return new RunFlags(newNetwork);
  }

  /** Whether the step gets its own, empty network namespace. */
  public boolean isolatedNetwork() {
    return network.equals("none");
  }

  /** The flags as Dockerfile text, e.g. {@code --network=none } (empty for defaults). */
  public String text() {
    return network.equals("default") ? "" : "--network=" + network + " ";
  }
}
