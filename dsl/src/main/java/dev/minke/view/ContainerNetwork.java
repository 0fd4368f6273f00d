package dev.minke.view;

import dev.minke.runtime.RuntimeSpec;
import dev.minke.runtime.net.Network;
import dev.minke.runtime.net.Networks;
import dev.minke.runtime.net.PortMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which network a container is on, its address and its published ports, as far as the host's
 * network state tells: {@code host} when its spec has no network namespace; while it is attached
 * to a bridged network, that network; {@code none} when it runs with a namespace of its own but
 * no attachment. Unknown (empty) for a container that does not run.
 *
 * @param address null when it has none
 */
record ContainerNetwork(String name, String address, List<PortMapping> ports) {
  ContainerNetwork {
    ports = List.copyOf(ports);
  }

  static Optional<ContainerNetwork> lookup(String containerId, boolean running, RuntimeSpec spec, Networks networks) {
    if (spec != null && spec.linux() != null
        && spec.linux().namespaces().stream().noneMatch(ns -> ns.type().equals("network"))) {
      return Optional.of(new ContainerNetwork("host", null, List.of()));
    }
    try {
      Optional<String> address = networks.address(containerId);
      if (address.isPresent()) {
        String name = networks.list().stream()
            .filter(n -> n.containers().stream().anyMatch(e -> e.containerId().equals(containerId)))
            .map(Network::name).findFirst().orElse("?");
        return Optional.of(new ContainerNetwork(name, address.get(), networks.ports(containerId)));
      }
    } catch (RuntimeException e) {
      return Optional.empty(); // no readable network state on this host: say nothing rather than guess
    }
    return running ? Optional.of(new ContainerNetwork("none", null, List.of())) : Optional.empty();
  }

  /** {@code {"name", "address" (when any), "ports": [{"hostIp", "hostPort", "containerPort", "protocol"}]}}. */
  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    if (address != null) {
      json.put("address", address);
    }
    json.put("ports", ports.stream().map(ContainerNetwork::port).toList());
    return json;
  }

  private static Map<String, Object> port(PortMapping port) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("hostIp", port.hostIp());
    json.put("hostPort", port.hostPort());
    json.put("containerPort", port.containerPort());
    json.put("protocol", port.protocol());
    return json;
  }

  /** {@code bridge 10.213.0.5, ports 0.0.0.0:8080->80/tcp}. */
  String text() {
    return name + (address == null ? "" : " " + address) + (ports.isEmpty() ? ""
        : ", ports " + String.join(", ", ports.stream().map(PortMapping::toString).toList()));
  }
}
