package dev.minke.runtime.net;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One container on one bridged network, as stored while it is attached: what {@code detach}
 * needs to undo everything (the CNI config given to ADD, since DEL must get the same one, and the
 * published ports, whose iptables rules are deleted by their exact text), and what the members'
 * {@code /etc/hosts} files need.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Attachment(String containerId, String name, String hostname, String network, String address,
    List<PortMapping> ports, String cniConfig, String hostsFile) {
  Attachment {
    ports = ports == null ? List.of() : List.copyOf(ports);
  }
}
