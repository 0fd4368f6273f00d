package dev.minke.runtime.net;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A network containers can join, as {@code docker network inspect} shows it: {@code bridge}
 * (Minke's default bridge {@code minke0}), {@code host}, {@code none}, or a user-defined bridge
 * network. {@code containers} lists the members running now (empty in the stored definition).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Network(String name, String driver, String subnet, String gateway, String bridge, String created,
    List<Endpoint> containers) {

  /** A member: the container, its name and its address on this network. */
  public record Endpoint(String containerId, String name, String address) {}

  public Network {
    containers = containers == null ? List.of() : List.copyOf(containers);
  }

  Network withContainers(List<Endpoint> members) {
    return new Network(name, driver, subnet, gateway, bridge, created, members);
  }

  /** Whether containers on it get their own bridge, veth and address (bridge, user networks). */
  public boolean bridged() {
    return driver.equals("bridge");
  }

  @Override
  public String toString() {
    return String.format("%-20s %-7s %-18s %s (%d running)", name, driver, subnet == null ? "-" : subnet,
        bridge == null ? "-" : bridge, containers.size());
  }
}
