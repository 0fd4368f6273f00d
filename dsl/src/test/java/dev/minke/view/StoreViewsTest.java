package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Service;
import dev.minke.dsl.Stack;
import dev.minke.dsl.StackStatus;
import dev.minke.runtime.VolumeInfo;
import dev.minke.runtime.net.Network;
import dev.minke.store.Volume;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Volumes, networks and stacks from their values, and MimeBundles finding the view of each. */
class StoreViewsTest {
  static final VolumeInfo DATA = new VolumeInfo("shop_data", "/m/volumes/shop_data/_data", "2026-11-28T00:00:00Z",
      false, List.of("shop-db"));
  static final VolumeInfo ANON = new VolumeInfo("a1b2", "/m/volumes/a1b2/_data", "2026-11-28T00:00:00Z", true,
      List.of());
  static final Network SHOP = new Network("shop", "bridge", "10.213.1.0/24", "10.213.1.1", "mk-shop",
      "2026-11-28T00:00:00Z", List.of(new Network.Endpoint(Specs.ID, "shop-db", "10.213.1.2")));
  static final Network HOST = new Network("host", "host", null, null, null, null, List.of());

  @Test
  void volume_jsonAndText() {
    MimeBundle bundle = VolumeView.of(DATA);
    Xhtml.check(bundle);
    assertEquals(Map.of("name", "shop_data", "anonymous", false, "mountpoint", "/m/volumes/shop_data/_data",
        "containers", List.of("shop-db"), "unused", false), bundle.json());
    assertEquals(DATA.toString(), bundle.plain());
    assertTrue(Xhtml.text(bundle).contains("2026-11-28T00:00:00Z"), "created, in the HTML only");
  }

  @Test
  void volumeList_andStoreVolume() {
    MimeBundle list = VolumeView.list(List.of(DATA, ANON));
    Xhtml.check(list);
    assertEquals(2, ((List<?>) list.json().get("volumes")).size());
    assertTrue(list.plain().contains("a1b2       anonymous  unused"), list.plain());
    MimeBundle stored = VolumeView.of(new Volume("v", "2026-11-28T00:00:00Z", true));
    Xhtml.check(stored);
    assertEquals(Map.of("name", "v", "anonymous", true), stored.json());
  }

  @Test
  void network_withMembers_andBuiltIn() {
    MimeBundle bundle = NetworkView.of(SHOP);
    Xhtml.check(bundle);
    assertEquals(List.of(Map.of("id", Specs.ID, "name", "shop-db", "address", "10.213.1.2")),
        bundle.json().get("containers"));
    assertEquals("10.213.1.0/24", bundle.json().get("subnet"));
    MimeBundle host = NetworkView.of(HOST);
    Xhtml.check(host);
    assertFalse(host.json().containsKey("subnet"));
    MimeBundle list = NetworkView.list(List.of(HOST, SHOP));
    Xhtml.check(list);
    assertTrue(list.plain().contains("shop"), list.plain());
  }

  @Test
  @SuppressWarnings("unchecked")
  void stack_definitionWithStatus() {
    Stack stack = Stack.of("shop").service(Service.of("db", "busybox").port("8080:80").volume("data:/d"))
        .service(Service.of("app", "busybox").dependsOn("db").command("sh", "-c", "wget db"));
    StackStatus status = new StackStatus("shop", "shop", true, List.of(
        new StackStatus.ServiceStatus("db", "shop-db", Specs.ID, StackStatus.State.RUNNING, null),
        new StackStatus.ServiceStatus("app", "shop-app", null, StackStatus.State.MISSING, null)));
    MimeBundle bundle = StackView.of(stack, status);
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    assertEquals(true, json.get("networkExists"));
    List<Map<String, Object>> services = (List<Map<String, Object>>) json.get("services");
    assertEquals(Map.of("service", "db", "image", "busybox", "command", List.of(), "ports", List.of("8080:80"),
        "volumes", List.of("data:/d"), "dependsOn", List.of(), "container", "shop-db", "state", "RUNNING",
        "containerId", Specs.ID), services.get(0));
    assertEquals("MISSING", services.get(1).get("state"));
    assertEquals(status.toString(), bundle.plain());
  }

  @Test
  @SuppressWarnings("unchecked")
  void stack_definitionAlone_andStatusAlone() {
    Stack stack = Stack.of("shop").service(Service.of("db", "busybox"));
    MimeBundle definition = StackView.of(stack, null);
    Xhtml.check(definition);
    assertFalse(definition.json().containsKey("networkExists"));
    assertFalse(((List<Map<String, Object>>) definition.json().get("services")).get(0).containsKey("state"));
    StackStatus status = new StackStatus("shop", "shop", false, List.of(
        new StackStatus.ServiceStatus("db", "shop-db", Specs.ID, StackStatus.State.EXITED, 3)));
    MimeBundle alone = StackView.of(status);
    Xhtml.check(alone);
    assertEquals(Map.of("service", "db", "container", "shop-db", "state", "EXITED", "containerId", Specs.ID,
        "exitCode", 3), ((List<Map<String, Object>>) alone.json().get("services")).get(0));
  }

  @Test
  void hostileNames_areEscaped() {
    Xhtml.assertEscaped(VolumeView.of(new VolumeInfo("v", Xhtml.HOSTILE, "", false, List.of(Xhtml.HOSTILE))));
    Xhtml.assertEscaped(NetworkView.of(new Network("n", "bridge", null, null, null, null,
        List.of(new Network.Endpoint(Specs.ID, Xhtml.HOSTILE, "1.2.3.4")))));
    Xhtml.assertEscaped(StackView.of(Stack.of("s").service(Service.of("a", "busybox").command(Xhtml.HOSTILE)), null));
  }

  @Test
  void mimeBundles_findsEachView_andListsOfOneKind() {
    assertEquals(VolumeView.of(DATA), MimeBundles.of(DATA).orElseThrow());
    assertEquals(NetworkView.of(SHOP), MimeBundles.of(SHOP).orElseThrow());
    assertEquals(VolumeView.list(List.of(DATA, ANON)), MimeBundles.of(List.of(DATA, ANON)).orElseThrow());
    assertEquals(NetworkView.list(List.of(HOST)), MimeBundles.of(List.of(HOST)).orElseThrow());
    assertEquals(Optional.empty(), MimeBundles.of(List.of(DATA, SHOP)));
    assertEquals(Optional.empty(), MimeBundles.of(List.of()));
    assertEquals(Optional.empty(), MimeBundles.of("text"));
    assertTrue(MimeBundles.of(Specs.spec("sh")).isPresent());
    assertTrue(MimeBundles.of(new BuildProgress()).isPresent());
  }
}
