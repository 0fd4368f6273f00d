package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BaseImage;
import dev.minke.build.BuildOptions;
import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.dsl.Container;
import dev.minke.dsl.Image;
import dev.minke.dsl.Service;
import dev.minke.dsl.Stack;
import dev.minke.dsl.Stage;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.Containers;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.Volumes;
import dev.minke.runtime.net.Networks;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views of real things: a running then stopped container with limits, a volume and (where a
 * bridge can be made) a published port, the volume and network it is on, a small stack, and the
 * live display of a real build that works and one that fails.
 */
class RuntimeViewsIT {
  @TempDir static Path home;
  static Store store;
  static Image busybox;

  @BeforeAll
  static void makeStore() {
    store = TestStores.withBusybox(home);
    busybox = Image.lookup(store, BusyboxImage.NAME);
  }

  @AfterEach
  void removeContainers() {
    Containers containers = new Containers(store);
    for (ContainerRecord c : containers.list(true)) {
      containers.remove(c.id(), true, true);
    }
  }

  @AfterAll
  static void nothingMounted() throws IOException {
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
  }

  @Test
  @SuppressWarnings("unchecked")
  void container_running_thenExited() {
    boolean bridged = Networks.bridgeAvailable();
    RunOptions options = RunOptions.defaults().withCommand(List.of("sleep", "60")).withInit(true)
        .withMemoryBytes(64L << 20).withPidsLimit(50).withVolume("viewvol:/data")
        .withNetwork(bridged ? "bridge" : "none");
    if (bridged) {
      options = options.withPublish("127.0.0.1:0:80");
    }
    Container container = busybox.start(options);

    MimeBundle running = ContainerView.of(container);
    Xhtml.check(running);
    Map<String, Object> json = running.json();
    assertEquals("RUNNING", json.get("state"), running.plain());
    assertEquals(64L << 20, ((Map<String, Object>) json.get("limits")).get("memoryBytes"));
    Map<String, Object> explained = (Map<String, Object>) ((Map<String, Object>) json.get("config")).get("explained");
    assertTrue(((List<String>) explained.get("namespaces")).contains("network"), explained.toString());
    assertTrue(((List<Map<String, Object>>) explained.get("mounts")).stream()
        .anyMatch(m -> m.get("destination").equals("/data")), explained.toString());
    Map<String, Object> network = (Map<String, Object>) json.get("network");
    if (bridged) {
      assertEquals("bridge", network.get("name"), running.plain());
      assertTrue(((String) network.get("address")).startsWith("10.213."), network.toString());
      Map<String, Object> port = ((List<Map<String, Object>>) network.get("ports")).get(0);
      assertTrue((Integer) port.get("hostPort") > 0, "the chosen host port: " + port);
      MimeBundle bridge = NetworkView.of(new Networks().inspect("bridge"));
      Xhtml.check(bridge);
      assertTrue(((List<Map<String, Object>>) bridge.json().get("containers")).stream()
          .anyMatch(m -> m.get("id").equals(container.id())), bridge.plain());
    } else {
      assertEquals(Map.of("name", "none", "ports", List.of()), network);
    }
    MimeBundle volume = VolumeView.of(new Volumes(store).inspect("viewvol"));
    Xhtml.check(volume);
    assertEquals(List.of(container.name()), volume.json().get("containers"));
    assertEquals(ContainerView.of(container).json(), json, "the same container, the same JSON");

    container.stop();
    MimeBundle exited = ContainerView.of(container);
    Xhtml.check(exited);
    assertEquals("EXITED", exited.json().get("state"));
    assertTrue(exited.json().containsKey("exitCode"), exited.json().toString());
    assertFalse(exited.json().containsKey("network"), "an ended container is on no network");
    assertEquals(MimeBundles.of(container).orElseThrow(), exited);

    container.remove();
    new Volumes(store).remove("viewvol");
  }

  @Test
  void runResult_ofARealRun() {
    MimeBundle bundle = RunResultView.of(busybox.run(RunOptions.defaults().withNetwork("none")
        .withCommand(List.of("sh", "-c", "echo out; echo err >&2; exit 3"))));
    Xhtml.check(bundle);
    assertEquals(3, bundle.json().get("exitCode"));
    assertEquals("out\n", bundle.json().get("stdout"));
    assertEquals("err\n", bundle.json().get("stderr"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void stack_upAndDown() {
    Assumptions.assumeTrue(Networks.bridgeAvailable(), "stacks need a bridge: root and the CNI plugins");
    Stack stack = Stack.of("vw" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()))
        .withStore(store).service(Service.of("web", "busybox").command("sleep", "60").init(true));
    try {
      stack.up();
      MimeBundle up = StackView.of(stack);
      Xhtml.check(up);
      Map<String, Object> web = ((List<Map<String, Object>>) up.json().get("services")).get(0);
      assertEquals("RUNNING", web.get("state"), up.plain());
      assertEquals(stack.name() + "-web", web.get("container"));
      assertEquals(true, up.json().get("networkExists"));
      MimeBundle network = NetworkView.of(new Networks().inspect(stack.network()));
      Xhtml.check(network);
      assertEquals(1, ((List<?>) network.json().get("containers")).size(), network.plain());
    } finally {
      stack.down(true);
    }
    MimeBundle down = StackView.of(stack);
    assertEquals(false, down.json().get("networkExists"));
    assertEquals("MISSING", ((List<Map<String, Object>>) down.json().get("services")).get(0).get("state"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void buildProgress_ofARealBuild_thatWorks_andOneThatFails() {
    Stage stage = Stage.of(new BaseImage.Named(BusyboxImage.NAME)).env("GREETING", "hi")
        .run("echo $GREETING from the build; echo second line").cmd("sh");
    BuildProgress progress = new BuildProgress();
    Image image = stage.buildIn(store, BuildOptions.defaults().withListener(progress));
    progress.finished(image);
    MimeBundle built = progress.render();
    Xhtml.check(built);
    assertEquals("finished", built.json().get("state"));
    assertEquals(image.digest().toString(), built.json().get("digest"));
    assertEquals(built.json().get("total"), built.json().get("done"));
    List<Map<String, Object>> steps = (List<Map<String, Object>>) ((List<Map<String, Object>>)
        built.json().get("stages")).get(0).get("steps");
    assertTrue(steps.stream().noneMatch(s -> s.get("verdict").equals("RUNNING")), steps.toString());

    BuildProgress again = new BuildProgress();
    again.finished(stage.buildIn(store, BuildOptions.defaults().withListener(again)));
    Map<String, Object> cached = again.render().json();
    assertEquals(steps.size() + " steps, " + steps.size() + " cached", cached.get("summary"));

    BuildProgress failing = new BuildProgress();
    Stage broken = Stage.of(new BaseImage.Named(BusyboxImage.NAME)).run("echo about to fail; exit 3");
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> broken.buildIn(store, BuildOptions.defaults().withListener(failing)));
    failing.failed(error);
    MimeBundle failed = failing.render();
    Xhtml.check(failed);
    assertEquals("failed", failed.json().get("state"));
    List<Map<String, Object>> stopped = (List<Map<String, Object>>) failed.json().get("stoppedAt");
    assertEquals(1, stopped.size(), failed.plain());
    assertTrue(((String) stopped.get(0).get("step")).contains("exit 3"), stopped.toString());
    assertTrue(failed.plain().contains("about to fail"), failed.plain());
  }
}
