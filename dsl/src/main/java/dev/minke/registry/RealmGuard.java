package dev.minke.registry;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a token realm that would turn Minke into a proxy into the local network: a realm whose
 * host is loopback, private, link-local or unspecified is allowed only when it is the registry's own
 * host (go-containerregistry's bearer transport does the same). Every redirect is checked again.
 */
final class RealmGuard {
  private RealmGuard() {}

  /** Throws {@link RegistryAuthException}-like {@link RegistryException} when the realm is refused. */
  static void check(URI realm, String registryHost, String repository) {
    String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || realm.getHost() == null) {
      throw refused(realm, registryHost, repository, "it is not an http(s) URL");
    }
    String realmHost = stripBrackets(realm.getHost()).toLowerCase(Locale.ROOT);
    if (realmHost.equals(hostOnly(registryHost))) {
      return;
    }
    List<InetAddress> addresses;
    try {
      addresses = List.of(InetAddress.getAllByName(realmHost));
    } catch (UnknownHostException e) {
      return; // The token request itself will fail and say so; nothing local can be reached.
    }
    for (InetAddress address : addresses) {
      if (isInternal(address)) {
        throw refused(realm, registryHost, repository,
            "its host " + realmHost + " is the internal address " + address.getHostAddress()
                + " and not the registry's own host");
      }
    }
  }

  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] raw = address.getAddress();
    if (address instanceof Inet6Address) {
      return (raw[0] & 0xfe) == 0xfc; // fc00::/7, unique local addresses.
    }
    return (raw[0] & 0xff) == 100 && (raw[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT.
  }

  /** {@code localhost:5000} → {@code localhost}; {@code [::1]:5000} → {@code ::1}. */
  static String hostOnly(String hostAndPort) {
    String host = hostAndPort.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(1, end);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static RegistryException refused(URI realm, String registry, String repository, String why) {
    return new RegistryException(registry, repository, 0, List.of(),
        "refusing the token realm " + realm + " that " + registry + " named: " + why,
        "a registry may only send Minke for tokens to a public host or to itself; check the registry's auth"
            + " configuration", null);
  }
}
