package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.Minke;
import dev.minke.build.BaseImage;
import dev.minke.build.BuildOptions;
import dev.minke.build.BuildResult;
import dev.minke.build.Builder;
import dev.minke.build.BusyboxImage;
import dev.minke.cli.Main;
import dev.minke.dsl.Image;
import dev.minke.dsl.Stores;
import dev.minke.image.Json;
import dev.minke.registry.Reference;
import dev.minke.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front ends of pull and push: {@code minke pull/push/login/logout}, {@code Minke.pull}, {@code Image.push}, and {@code from()} pulling a missing base. */
class CliAndDslPullIT {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static TestRegistry registry;
  private static Store source;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TestRegistry.available(), "docker-registry is not installed");
    registry = TestRegistry.start(shared.resolve("registry"));
    source = Store.open(shared.resolve("source"));
    BusyboxImage.make(source, Path.of("/bin/busybox"), 0);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void clearProperties() {
    System.clearProperty("minke.home");
    System.clearProperty("minke.dockerConfig");
  }

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void cli_pushThenPull_intoAnotherStore() {
    System.setProperty("minke.home", source.home().toString());
    String target = registry.host() + "/cli/busybox:1";
    String[] push = run("push", "busybox", target);
    assertEquals("0", push[0], push[1] + push[2]);
    String digest = source.require(BusyboxImage.NAME).digest().toString();
    assertTrue(push[1].contains("1: digest: " + digest), push[1]);

    System.setProperty("minke.home", tmp.resolve("other").toString());
    String[] pull = run("pull", target);
    assertEquals("0", pull[0], pull[1] + pull[2]);
    assertTrue(pull[1].contains("Digest: " + digest), pull[1]);
    assertTrue(pull[1].contains("Pull complete"), pull[1]);
    String[] again = run("pull", target);
    assertTrue(again[1].contains("Image is up to date"), again[1]);

    String[] unknown = run("pull", registry.host() + "/cli/busybox:nope");
    assertTrue(!unknown[0].equals("0"), "an unknown tag fails the command");
    assertTrue((unknown[1] + unknown[2]).contains("cli/busybox:nope"), unknown[1] + unknown[2]);
  }

  @Test
  void cli_loginAndLogout_writeDockersConfigFile() throws Exception {
    Path config = tmp.resolve("docker/config.json");
    System.setProperty("minke.dockerConfig", config.toString());
    String[] login = run("login", "-u", "me", "-p", "secret", registry.host());
    assertEquals("0", login[0], login[1] + login[2]);
    assertTrue(login[1].contains("Login Succeeded"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    Map<?, ?> auths = (Map<?, ?>) Json.mapper().readValue(config.toFile(), Map.class).get("auths");
    assertTrue(auths.containsKey(registry.host()), auths.toString());
    String[] logout = run("logout", registry.host());
    assertTrue(logout[1].contains("Removing login credentials"), logout[1]);
    assertTrue(!Files.readString(config).contains(registry.host()));
  }

  @Test
  void dsl_imagePush_andMinkePull() {
    Store store = Stores.use(tmp.resolve("dsl"));
    BusyboxImage.make(store, Path.of("/bin/busybox"), 0);
    Image busybox = Minke.image("busybox");
    String target = registry.host() + "/dsl/busybox:1";
    assertEquals(busybox.digest(), busybox.push(target).digest());

    Stores.use(tmp.resolve("dsl-empty"));
    Image pulled = Minke.pull(target);
    assertEquals(busybox.digest(), pulled.digest());
    assertEquals(Reference.parse(target), pulled.reference().orElseThrow());
  }

  @Test
  void from_missingBase_isPulled() {
    Reference base = registry.ref("base/busybox:1");
    ImagePush.push(source, BusyboxImage.NAME, base,
        PushOptions.defaults());
    Store empty = Store.open(tmp.resolve("build"));
    BuildResult built = new Builder(empty).build(new BaseImage.Named(base), List.of(),
        BuildOptions.defaults().withContextDir(tmp));
    assertTrue(empty.images().resolve(base).isPresent(), "the base was pulled and tagged");
    assertEquals(source.manifest(source.require(BusyboxImage.NAME).digest()).layers(),
        built.manifest().layers());
  }
}
