package dev.minke.runtime;

import dev.minke.runtime.net.Networks;
import dev.minke.runtime.net.PortMapping;
import dev.minke.runtime.net.Subnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The values behind {@code -p} and {@code --subnet}, and the bridge names. */
class NetworkValuesTest {
  @Test
  void portMappings_parseAsDockerWritesThem() {
    assertEquals(new PortMapping("0.0.0.0", 8080, 80, "tcp"), PortMapping.parse("8080:80"));
    assertEquals(new PortMapping("127.0.0.1", 8080, 80, "tcp"), PortMapping.parse("127.0.0.1:8080:80"));
    assertEquals(new PortMapping("0.0.0.0", 53, 53, "udp"), PortMapping.parse("53:53/udp"));
    assertEquals(new PortMapping("0.0.0.0", 0, 80, "tcp"), PortMapping.parse("80"));
    assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("80:70000"));
    assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("web:80"));
    assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("8080:80/sctp"));
    assertTrue(PortMapping.parse("8080:80").clashes(PortMapping.parse("127.0.0.1:8080:81")));
    assertFalse(PortMapping.parse("127.0.0.2:8080:80").clashes(PortMapping.parse("127.0.0.1:8080:81")));
    assertFalse(PortMapping.parse("8080:80").clashes(PortMapping.parse("8080:80/udp")));
  }

  @Test
  void subnets_overlapAndContain() {
    Subnet minke = Subnet.parse("10.213.0.0/24");
    assertEquals("10.213.0.1", minke.gateway());
    assertTrue(minke.contains("10.213.0.77"));
    assertFalse(minke.contains("10.213.1.1"));
    assertTrue(Subnet.parse("10.88.0.0/16").overlaps(Subnet.parse("10.88.200.0/24")));
    assertFalse(Subnet.parse("10.88.0.0/16").overlaps(minke));
    assertTrue(Subnet.parse("0.0.0.0/1").overlaps(minke));
    assertEquals("10.213.5.0/24", Subnet.parse("10.213.5.9/24").toString(), "host bits cleared");
    assertThrows(IllegalArgumentException.class, () -> Subnet.parse("10.213.5.0"));
  }

  @Test
  void bridgeNames_fitALinkName() {
    assertEquals("minke-web", Networks.bridgeName("web"));
    String longName = Networks.bridgeName("a-rather-long-network-name");
    assertEquals(15, longName.length());
    assertTrue(longName.startsWith("minke-a-ra-"));
    assertFalse(longName.equals(Networks.bridgeName("a-rather-long-network-nam2")));
  }

  @Test
  void runOptions_keepNetworkAndPortsThroughOtherChanges() {
    RunOptions o = RunOptions.defaults().withNetwork("web").withPublish("127.0.0.1:8080:80").withEnv("A", "b")
        .withHostname("h").withInit(true);
    assertEquals("web", o.network());
    assertEquals(1, o.ports().size());
    assertEquals(null, RunOptions.defaults().network(), "unset: bridge as root, none rootless");
  }
}
