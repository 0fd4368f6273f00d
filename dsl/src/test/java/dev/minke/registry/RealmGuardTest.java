package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealmGuardTest {
  @Test
  void check_internalRealms_onAnotherHost_areRefused() {
    for (String realm : List.of("http://127.0.0.1/token", "https://10.0.0.5/token", "https://192.168.1.1/t",
        "https://172.16.3.4/t", "http://169.254.169.254/latest/meta-data", "https://[::1]:8443/t",
        "https://[fe80::1]/t", "https://[fd00::1]/t", "https://0.0.0.0/t", "https://100.64.1.1/t")) {
      RegistryException e = assertThrows(RegistryException.class,
          () -> RealmGuard.check(URI.create(realm), "registry.example.com", "me/app"), realm);
      assertTrue(e.getMessage().contains("refusing the token realm"), e.getMessage());
      assertTrue(!e.temporary() || e.status() == 0);
    }
  }

  @Test
  void check_theRegistrysOwnHost_isAllowedEvenWhenInternal() {
    assertDoesNotThrow(() -> RealmGuard.check(URI.create("http://127.0.0.1:5001/token"), "127.0.0.1:5000", "a"));
    assertDoesNotThrow(() -> RealmGuard.check(URI.create("http://[::1]:9/token"), "[::1]:5000", "a"));
    assertDoesNotThrow(() -> RealmGuard.check(URI.create("https://10.1.2.3/token"), "10.1.2.3", "a"));
  }

  @Test
  void check_publicAddresses_areAllowed() {
    assertDoesNotThrow(() -> RealmGuard.check(URI.create("https://8.8.8.8/token"), "registry.example.com", "a"));
    assertDoesNotThrow(() -> RealmGuard.check(URI.create("https://[2001:4860::8888]/token"), "r.example", "a"));
  }

  @Test
  void check_nonHttpSchemes_areRefused() {
    for (String realm : List.of("file:///etc/passwd", "ftp://8.8.8.8/x", "gopher://8.8.8.8/")) {
      assertThrows(RegistryException.class, () -> RealmGuard.check(URI.create(realm), "r.example", "a"), realm);
    }
  }

  @Test
  void hostOnly_stripsPortsAndBrackets() {
    assertTrue(RealmGuard.hostOnly("localhost:5000").equals("localhost"));
    assertTrue(RealmGuard.hostOnly("[::1]:5000").equals("::1"));
    assertTrue(RealmGuard.hostOnly("Registry.Example").equals("registry.example"));
  }
}
