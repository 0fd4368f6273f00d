package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.ContainerConfig;
import dev.minke.image.HistoryEntry;
import dev.minke.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config steps change the config as Dockerfile instructions do and leave empty-layer history. */
class ConfigStepsTest {
  @TempDir Path home;
  private Store store;

  @BeforeEach
  void setUp() {
    store = TestStores.withBusybox(home);
  }

  private Image build(Stage stage) {
    return stage.buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  @Test
  void entrypoint_withoutCmdInStage_dropsTheBaseImagesCmd() {
    ContainerConfig config = build(from("busybox").entrypoint("/bin/echo")).config().config();
    assertEquals(List.of("/bin/echo"), config.entrypoint());
    assertNull(config.cmd());
  }

  @Test
  void entrypoint_afterCmdInStage_keepsThatCmd() {
    ContainerConfig config = build(from("busybox").cmd("hi").entrypoint("/bin/echo")).config().config();
    assertEquals(List.of("hi"), config.cmd());
  }

  @Test
  void env_setTwice_replacesTheValueInPlace() {
    ContainerConfig config = build(from("busybox").env("A", "1").env("B", "2").env("A", "3")).config().config();
    assertEquals("3", config.envValue("A"));
    assertTrue(config.env().indexOf("A=3") < config.env().indexOf("B=2"));
  }

  @Test
  void arg_expandsInLaterSteps_andBuildArgsOverrideDefaults() {
    Stage stage = from("busybox").arg("VERSION", "1.0").env("APP_VERSION", "v${VERSION}").workdir("/opt/$VERSION");
    assertEquals("v1.0", build(stage).config().config().envValue("APP_VERSION"));
    Image overridden = stage.buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0).withBuildArg("VERSION", "2.0"));
    assertEquals("v2.0", overridden.config().config().envValue("APP_VERSION"));
    assertEquals("/opt/2.0", overridden.config().config().workingDir());
  }

  @Test
  void workdir_relative_isJoinedToThePreviousOne() {
    assertEquals("/a/b", build(from("busybox").workdir("/a").workdir("b")).config().config().workingDir());
  }

  @Test
  void expose_normalizesToPortAndProtocol() {
    ContainerConfig config = build(from("busybox").expose(80).expose("53/udp")).config().config();
    assertEquals(List.of("53/udp", "80/tcp"), List.copyOf(config.exposedPorts().keySet()));
  }

  @Test
  void expose_outOfRange_isRejectedWithTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from("busybox").expose(70000));
    assertTrue(e.getMessage().contains("1 to 65535"), e.getMessage());
  }

  @Test
  void everyConfigStep_leavesAnEmptyLayerHistoryEntry() {
    Image image = build(from("busybox").user("www-data").volume("/data").stopSignal("SIGQUIT")
        .label("a", "b").shell("/bin/sh", "-ec")
        .healthcheck(HealthChecks.timed(HealthChecks.shell("true"), Duration.ofSeconds(5), Duration.ofSeconds(2), 3)));
    List<HistoryEntry> history = image.config().history();
    List<HistoryEntry> added = history.subList(2, history.size());
    assertEquals(6, added.size());
    assertTrue(added.stream().allMatch(HistoryEntry::isEmptyLayer));
    assertEquals("HEALTHCHECK --interval=5s --timeout=2s --retries=3 CMD true", added.get(5).createdBy());
    ContainerConfig config = image.config().config();
    assertEquals("www-data", config.user());
    assertEquals("SIGQUIT", config.stopSignal());
    assertEquals(List.of("/bin/sh", "-ec"), config.shell());
    assertEquals(3, config.healthcheck().retries());
  }

  @Test
  void stage_reusedByTwoStages_neverChangesUnderEither() {
    Stage base = from("busybox").env("A", "1");
    Stage left = base.env("B", "2");
    Stage right = base.env("C", "3");
    assertEquals(1, base.steps().size());
    assertEquals(2, left.steps().size());
    assertEquals("ENV C=3", right.steps().get(1).createdBy());
  }
}
