package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.Minke;
import dev.minke.image.Json;
import dev.minke.runtime.MountSpec;
import dev.minke.runtime.RunOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Stacks as values: start order, definition errors (before anything starts), run flags and compose YAML. */
class StackTest {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  static List<String> names(List<Service> services) {
    return services.stream().map(Service::name).toList();
  }

  @Test
  void testStartOrder_dependenciesFirst_otherwiseAsDeclared() {
    Stack stack = Minke.stack("shop")
        .service(Service.of("web", "busybox").dependsOn("api", "cache"))
        .service(Service.of("api", "busybox").dependsOn("db"))
        .service(Service.of("worker", "busybox"))
        .service(Service.of("cache", "busybox"))
        .service(Service.of("db", "busybox"));
    assertEquals(List.of("db", "api", "cache", "web", "worker"), names(stack.startOrder()));
    assertEquals(List.of("a", "b", "c"), names(Stack.of("s").service(Service.of("a", "busybox"))
        .service(Service.of("b", "busybox")).service(Service.of("c", "busybox")).startOrder()));
  }

  @Test
  void testStartOrder_diamond_startsEachServiceOnce() {
    Stack stack = Stack.of("d").service(Service.of("top", "busybox").dependsOn("left", "right"))
        .service(Service.of("left", "busybox").dependsOn("base")).service(Service.of("right", "busybox").dependsOn("base"))
        .service(Service.of("base", "busybox"));
    assertEquals(List.of("base", "left", "right", "top"), names(stack.startOrder()));
  }

  @Test
  void testStartOrder_cycle_isAClearErrorNamingTheCycle() {
    Stack stack = Stack.of("loop").service(Service.of("a", "busybox").dependsOn("b"))
        .service(Service.of("b", "busybox").dependsOn("c")).service(Service.of("c", "busybox").dependsOn("a"))
        .service(Service.of("d", "busybox"));
    StackDefinitionException e = assertThrows(StackDefinitionException.class, stack::startOrder);
    assertTrue(e.getMessage().contains("stack loop: the services depend on each other in a cycle: a -> b -> c -> a"),
        e.getMessage());
    assertFalse(e.hint().isEmpty());
    assertEquals("loop", e.stack());
    // up() checks the definition before it opens a store, makes a network or starts anything.
    assertThrows(StackDefinitionException.class, stack::up);
    assertThrows(StackDefinitionException.class, stack::toCompose);
  }

  @Test
  void testStartOrder_unknownDependency_namesItAndTheServices() {
    Stack stack = Stack.of("s").service(Service.of("app", "busybox").dependsOn("dbb")).service(Service.of("db", "busybox"));
    StackDefinitionException e = assertThrows(StackDefinitionException.class, stack::up);
    assertTrue(e.getMessage().contains("service app depends on \"dbb\", which the stack does not have"), e.getMessage());
    assertTrue(e.getMessage().contains("the stack has app, db"), e.getMessage());
  }

  @Test
  void testDefinition_invalidValues_areRefusedWhenGiven() {
    assertThrows(StackDefinitionException.class,
        () -> Stack.of("s").service(Service.of("a", "busybox")).service(Service.of("a", "alpine")));
    assertThrows(IllegalArgumentException.class, () -> Stack.of("My Stack"));
    assertThrows(IllegalArgumentException.class, () -> Stack.of("bridge"));
    assertThrows(IllegalArgumentException.class, () -> Service.of("Web", "busybox"));
    assertThrows(IllegalArgumentException.class, () -> Service.of("web", "busybox").dependsOn("web"));
    assertThrows(IllegalArgumentException.class, () -> Service.of("web", "busybox").port("80:http"));
    assertThrows(IllegalArgumentException.class, () -> Service.of("web", "busybox").volume("data:/x:bogus"));
    assertThrows(IllegalArgumentException.class, () -> Service.of("web", "busybox").env("A=B", "c"));
    assertThrows(IllegalArgumentException.class, () -> Service.of("web", "busybox").hostname("no_underscores"));
    assertThrows(RuntimeException.class, () -> Service.of("web", "Not A Reference"));
  }

  @Test
  void testValues_everyCallReturnsANewValue() {
    Service base = Service.of("web", "busybox");
    Service withEnv = base.env("A", "1");
    assertEquals(Map.of(), base.env());
    assertEquals(Map.of("A", "1"), withEnv.env());
    Stack empty = Stack.of("s");
    Stack one = empty.service(base);
    assertEquals(List.of(), empty.services());
    assertEquals(List.of(base), one.services());
    assertEquals(one, Stack.of("s").service(Service.of("web", "busybox")));
    assertThrows(UnsupportedOperationException.class, () -> withEnv.env().put("B", "2"));
  }

  @Test
  void testRunOptions_stackNetwork_serviceNameAsHostname_volumesScopedToTheStack() {
    Stack stack = Stack.of("shop");
    RunOptions db = stack.runOptions(Service.of("db", "busybox").command("sh", "-c", "exec httpd -f")
        .env("MODE", "fast").volume("data:/var/lib/db:ro").volume("/cache").volume("/srv:/srv").port("127.0.0.1:8080:80")
        .init(true));
    assertEquals("shop", db.network());
    assertEquals("db", db.hostname());
    assertTrue(db.init());
    assertEquals(List.of("sh", "-c", "exec httpd -f"), db.command());
    assertEquals(Map.of("MODE", "fast"), db.env());
    assertEquals(MountSpec.volume("shop_data", "/var/lib/db", true), db.mounts().get(0));
    assertEquals(MountSpec.anonymousVolume("/cache"), db.mounts().get(1));
    assertEquals(MountSpec.Type.BIND, db.mounts().get(2).type());
    assertEquals(8080, db.ports().get(0).hostPort());
    assertEquals("web.local", stack.runOptions(Service.of("web", "busybox").hostname("web.local")).hostname());
    assertEquals(MountSpec.volume("shop_v", "/v", false), stack.runOptions(Service.of("a", "busybox").volume("v:/v")).mounts().get(0),
        "a one-letter name is fine once scoped, as in compose");
    assertEquals("shop-db", stack.containerName("db"));
    assertEquals("shop_data", stack.volumeName("data"));
  }

  static Stack sample() {
    return Minke.stack("shop")
        .service(Service.of("db", "busybox").command("sh", "-c", "echo \"$HOME\" > /www/index && exec httpd -f -p 80")
            .env("NO", "no").env("TIME", "08:00").env("MULTI", "line1\nline2\ttab \\ back").env("EMPTY", "")
            .env("UNICODE", "Grüße – 도커 \u2028 \u0085 😀").volume("data:/var/lib/db").volume("/anon")
            .port("127.0.0.1:8080:80").init(true))
        .service(Service.of("app", "localhost:5000/me/app:1.0").dependsOn("db").hostname("frontend")
            .volume("data:/data:ro").volume("/srv/site:/site").port("53:53/udp"))
        .service(Service.of("true", "busybox"));
  }

  @Test
  void testToCompose_isTheExpectedYaml() {
    String expected = """
        name: "shop"
        services:
          "db":
            image: "busybox"
            command:
              - "sh"
              - "-c"
              - "echo \\"$$HOME\\" > /www/index && exec httpd -f -p 80"
            environment:
              "NO": "no"
              "TIME": "08:00"
              "MULTI": "line1\\nline2\\ttab \\\\ back"
              "EMPTY": ""
              "UNICODE": "Grüße – 도커 \\u2028 \\u0085 😀"
            volumes:
              - "data:/var/lib/db"
              - "/anon"
            ports:
              - "127.0.0.1:8080:80"
            init: true
          "app":
            image: "localhost:5000/me/app:1.0"
            volumes:
              - "data:/data:ro"
              - "/srv/site:/site"
            ports:
              - "53:53/udp"
            depends_on:
              - "db"
            hostname: "frontend"
          "true":
            image: "busybox"
        networks:
          default:
            name: "shop"
        volumes:
          "data": {}
        """;
    assertEquals(expected, sample().toCompose());
  }

  @Test
  void testToCompose_relativeBind_isWrittenAbsolute() {
    String yaml = Stack.of("s").service(Service.of("a", "busybox").volume("./site:/site:ro")).toCompose();
    String absolute = Path.of("site").toAbsolutePath().toString();
    assertTrue(yaml.contains("- \"" + absolute + ":/site:ro\"\n"), yaml);
  }

  /** What compose reads: the YAML parsed by PyYAML (when /usr/bin/python3 has it), as JSON. */
  static JsonNode parsedByPyYaml(String yaml) throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
    Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import yaml").redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "python3 has no yaml module");
    Process p = new ProcessBuilder(PYTHON.toString(), "-c",
        "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.buffer.read().decode('utf-8'))))")
        .redirectErrorStream(true).start();
    p.getOutputStream().write(yaml.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return Json.mapper().readTree(out);
  }

  @Test
  void testToCompose_parsesAsYaml_withEveryStringIntact() throws Exception {
    JsonNode compose = parsedByPyYaml(sample().toCompose());
    assertEquals("shop", compose.get("name").asText());
    JsonNode services = compose.get("services");
    assertEquals(List.of("db", "app", "true"), iterable(services.fieldNames()));
    JsonNode db = services.get("db");
    assertEquals("busybox", db.get("image").asText());
    assertEquals("echo \"$$HOME\" > /www/index && exec httpd -f -p 80", db.get("command").get(2).asText());
    JsonNode env = db.get("environment");
    assertTrue(env.get("NO").isTextual(), "\"no\" stays a string, not false");
    assertEquals("no", env.get("NO").asText());
    assertEquals("08:00", env.get("TIME").asText(), "not base 60");
    assertEquals("line1\nline2\ttab \\ back", env.get("MULTI").asText());
    assertEquals("", env.get("EMPTY").asText());
    assertEquals("Grüße – 도커 \u2028 \u0085 😀", env.get("UNICODE").asText());
    assertEquals("127.0.0.1:8080:80", db.get("ports").get(0).asText());
    assertTrue(db.get("init").asBoolean());
    JsonNode app = services.get("app");
    assertEquals("db", app.get("depends_on").get(0).asText());
    assertEquals("frontend", app.get("hostname").asText());
    assertEquals("53:53/udp", app.get("ports").get(0).asText());
    assertEquals("shop", compose.get("networks").get("default").get("name").asText());
    assertTrue(compose.get("volumes").get("data").isObject());
  }

  @Test
  void testToCompose_minimalStack_parses() throws Exception {
    JsonNode compose = parsedByPyYaml(Stack.of("one").service(Service.of("only", "busybox")).toCompose());
    assertEquals("busybox", compose.get("services").get("only").get("image").asText());
    assertFalse(compose.has("volumes"));
  }

  @Test
  void testQuote_controlAndSpecialCharacters() {
    assertEquals("\"a\\\"b\\\\c\"", ComposeYaml.quote("a\"b\\c"));
    assertEquals("\"\\u0000\\u001b\\u007f\\ufeff\"", ComposeYaml.quote("\0\u001b\u007f\ufeff"));
    assertEquals("\"yes: # - [x] {y} & * ! | > ' % @ `\"", ComposeYaml.quote("yes: # - [x] {y} & * ! | > ' % @ `"));
  }

  static List<String> iterable(java.util.Iterator<String> it) {
    List<String> all = new java.util.ArrayList<>();
    it.forEachRemaining(all::add);
    return all;
  }
}
