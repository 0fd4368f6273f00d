package dev.minke.runtime.net;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One published port, Docker's {@code -p [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTO]}: traffic to
 * the host's port (on {@code hostIp}, or every address when it is {@code 0.0.0.0}) goes to the
 * container's port. A host port of 0 ({@code -p 80}) means any free one, chosen at start.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
  private static final Pattern SYNTAX =
      Pattern.compile("(?:(?:(\\d{1,3}(?:\\.\\d{1,3}){3}):)?(\\d{1,5})?:)?(\\d{1,5})(?:/(tcp|udp))?");

  public PortMapping {
    hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
    protocol = protocol == null ? "tcp" : protocol;
    if (hostPort < 0 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("ports go from 1 to 65535: " + hostPort + ":" + containerPort);
    }
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException("protocol must be tcp or udp, not " + protocol);
    }
    Subnet.address(hostIp); // validates
  }

  /** Parses {@code 8080:80}, {@code 127.0.0.1:8080:80}, {@code 53:53/udp} or {@code 80}. */
  public static PortMapping parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("a published port looks like 8080:80 or 127.0.0.1:8080:80[/tcp|udp], not \""
          + text + "\"");
    }
    int hostPort = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return new PortMapping(m.group(1), hostPort, Integer.parseInt(m.group(3)), m.group(4));
  }

  /** The same mapping with a concrete host port. */
  PortMapping withHostPort(int port) {
    return new PortMapping(hostIp, port, containerPort, protocol);
  }

  /** Whether two mappings would claim the same host port and address. */
  public boolean clashes(PortMapping other) {
    return hostPort == other.hostPort && protocol.equals(other.protocol)
        && (hostIp.equals(other.hostIp) || hostIp.equals("0.0.0.0") || other.hostIp.equals("0.0.0.0"));
  }

  @Override
  public String toString() {
    return hostIp + ":" + hostPort + "->" + containerPort + "/" + protocol;
  }
}
