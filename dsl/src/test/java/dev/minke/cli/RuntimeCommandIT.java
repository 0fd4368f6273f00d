package dev.minke.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import dev.minke.os.Posix;
import dev.minke.runtime.Cgroups;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code minke runtime create|start|state|kill|delete} on a busybox bundle, as root, with runc's
 * lifecycle: created (set up, program not run) → running → stopped → deleted, leaving no state
 * directory, mount, cgroup or process behind.
 */
class RuntimeCommandIT {
  static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "hostname", "touch", "mount");
  static final String PROGRAM = "echo started > /tmp/out; sleep 30";

  @TempDir Path tmp;
  Path home;
  Path root;
  Path bundle;
  final List<String> ids = new ArrayList<>();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "the OCI runtime tests run as root");
    assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox");
    home = Files.createDirectories(tmp.resolve("home"));
    root = tmp.resolve("state");
    System.setProperty("minke.home", home.toString());
    bundle = bundle(tmp.resolve("bundle"), config(List.of("sh", "-c", PROGRAM), "", ""));
  }

  @AfterEach
  void nothingLeftBehind() throws Exception {
    for (String id : ids) {
      if (Files.exists(root.resolve(id))) {
        runtime("delete", "--force", id);
      }
    }
    System.clearProperty("minke.home");
    String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(mountinfo.contains(tmp.toString()), "a mount is left under " + tmp);
    for (String id : ids) {
      assertTrue(Cgroups.leftovers().stream().noneMatch(dir -> dir.endsWith("/" + id)),
          "cgroup of " + id + " left: " + Cgroups.leftovers());
    }
  }

  // --- the lifecycle -----------------------------------------------------------------------

  @Test
  void lifecycle_createStartKillDelete_likeRunc() throws Exception {
    String id = newId();
    Path pidFile = tmp.resolve("container.pid");

    assertEquals(0, runtime("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id), err());
    JsonNode created = state(id);
    assertEquals("created", created.get("status").asText());
    long pid = created.get("pid").asLong();
    assertTrue(pid > 1 && isAlive(pid), "created: " + created);
    assertEquals(Long.toString(pid), Files.readString(pidFile).strip());
    assertEquals(id, created.get("id").asText());
    assertEquals(bundle.toRealPath().toString(), created.get("bundle").asText());
    assertEquals("1.0.2", created.get("ociVersion").asText());
    assertEquals("it", created.get("annotations").get("dev.minke.test").asText());
    Thread.sleep(200);
    assertFalse(Files.exists(out()), "the program ran before start");

    assertEquals(0, runtime("start", id), err());
    assertEquals("started\n", awaitFile(out()));
    JsonNode running = state(id);
    assertEquals("running", running.get("status").asText());
    assertEquals(pid, running.get("pid").asLong());

    assertEquals(0, runtime("kill", id, "KILL"), err());
    JsonNode stopped = awaitStatus(id, "stopped");
    assertEquals(137, stopped.get("exitStatus").asInt(), stopped.toString());
    assertFalse(isAlive(pid));

    assertEquals(0, runtime("delete", id), err());
    assertFalse(Files.exists(root.resolve(id)), "state dir left");
    assertEquals(1, runtime("state", id));
  }

  @Test
  void delete_running_withoutForce_failsClearly_withForceKills() throws Exception {
    String id = created();
    assertEquals(0, runtime("start", id), err());

    assertEquals(1, runtime("delete", id));
    assertTrue(err().contains("is running: only a stopped container can be deleted"), err());
    assertTrue(err().contains("--force"), err());
    JsonNode still = state(id);
    assertEquals("running", still.get("status").asText());

    long pid = still.get("pid").asLong();
    assertEquals(0, runtime("delete", "--force", id), err());
    assertFalse(isAlive(pid));
    assertFalse(Files.exists(root.resolve(id)));
  }

  @Test
  void create_existingId_fails_andLeavesTheFirstAlone() throws Exception {
    String id = created();

    assertEquals(1, runtime("create", "--bundle", bundle.toString(), id));
    assertTrue(err().contains("container \"" + id + "\" already exists"), err());
    assertEquals("created", state(id).get("status").asText());
  }

  @Test
  void kill_unknownId_failsNamingIt() {
    assertEquals(1, runtime("kill", "no-such-box", "KILL"));
    assertTrue(err().contains("container \"no-such-box\" does not exist"), err());
    assertEquals(2, runtime("kill", "no-such-box", "NOSIG"));
    assertTrue(err().contains("unknown signal \"NOSIG\""), err());
  }

  @Test
  void start_twice_fails_secondTimeNotCreated() throws Exception {
    String id = created();
    assertEquals(0, runtime("start", id), err());

    assertEquals(1, runtime("start", id));
    assertTrue(err().contains("is running, not created"), err());
  }

  @Test
  void start_missingProgram_failsNamingExec() throws Exception {
    Path other = bundle(tmp.resolve("bundle2"), config(List.of("no-such-program"), "", ""));
    String id = newId();
    assertEquals(0, runtime("create", "--bundle", other.toString(), id), err());

    assertEquals(1, runtime("start", id));
    assertTrue(err().contains("step exec failed") && err().contains("no-such-program"), err());
    JsonNode stopped = awaitStatus(id, "stopped");
    assertEquals(127, stopped.get("exitStatus").asInt(), stopped.toString());
  }

  // --- the bundle ----------------------------------------------------------------------------

  @Test
  void bundle_mounts_bindAndTmpfs_hostname_resources() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("hello"), "from the host\n");
    String mounts = ",\"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
        + " {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"" + data + "\","
        + " \"options\": [\"rbind\", \"ro\"]},"
        + " {\"destination\": \"/scratch\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
        + " \"options\": [\"nosuid\", \"size=1m\"]}]";
    String program = "cat /data/hello > /tmp/out; touch /data/x 2>/dev/null || echo ro >> /tmp/out;"
        + " touch /scratch/x && echo tmpfs >> /tmp/out; hostname >> /tmp/out; sleep 30";
    Path other = bundle(tmp.resolve("bundle3"), config(List.of("sh", "-c", program), mounts,
        ",\"resources\": {\"pids\": {\"limit\": 20}}"));
    String id = newId();

    assertEquals(0, runtime("create", "--bundle", other.toString(), id), err());
    assertEquals(0, runtime("start", id), err());

    assertEquals("from the host\nro\ntmpfs\nbox\n", awaitFile(other.resolve("rootfs/tmp/out"), 4));
    assertTrue(Cgroups.leftovers().stream().anyMatch(dir -> dir.endsWith("/" + id)), "no cgroup for " + id);
    assertEquals(0, runtime("delete", "--force", id), err());
  }

  @Test
  void bundle_joiningANamespace_isRefused_beforeAnythingIsMade() throws Exception {
    String config = config(List.of("true"), "", "").replace("{\"type\": \"network\"}",
        "{\"type\": \"network\", \"path\": \"/proc/1/ns/net\"}");
    Path other = bundle(tmp.resolve("bundle4"), config);
    String id = newId();

    assertEquals(1, runtime("create", "--bundle", other.toString(), id));
    assertTrue(err().contains("joining the existing network namespace /proc/1/ns/net is not supported"), err());
    assertFalse(Files.exists(root.resolve(id)));
  }

  // --- the monitor outlives the JVM that ran create ------------------------------------------

  @Test
  void create_inAChildJvm_containerOutlivesIt_andStartsLater() throws Exception {
    String id = newId();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-Dminke.home=" + home, "-cp", System.getProperty("java.class.path"),
        "dev.minke.cli.Main", "runtime", "--root", root.toString(), "create", "--bundle", bundle.toString(), id)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(tmp.resolve("child.out").toFile())
        .redirectError(tmp.resolve("child.err").toFile())
        .start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "create did not return");
    assertEquals(0, child.exitValue(), Files.readString(tmp.resolve("child.err")));

    JsonNode created = state(id);
    assertEquals("created", created.get("status").asText());
    assertTrue(isAlive(created.get("pid").asLong()));
    assertEquals(0, runtime("start", id), err());
    assertEquals("started\n", awaitFile(out()));
    assertEquals(0, runtime("kill", id, "9"), err());
    awaitStatus(id, "stopped");
    assertEquals(0, runtime("delete", id), err());
  }

  // --- helpers -------------------------------------------------------------------------------

  private String newId() {
    String id = "it-" + UUID.randomUUID().toString().substring(0, 8);
    ids.add(id);
    return id;
  }

  private String created() {
    String id = newId();
    assertEquals(0, runtime("create", "--bundle", bundle.toString(), id), err());
    return id;
  }

  private int runtime(String... args) {
    out.reset();
    err.reset();
    List<String> line = new ArrayList<>(List.of("runtime", "--root", root.toString()));
    line.addAll(List.of(args));
    return Main.run(line, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
  }

  private String err() {
    return err.toString(UTF_8);
  }

  private JsonNode state(String id) throws IOException {
    assertEquals(0, runtime("state", id), err());
    return Json.mapper().readTree(out.toString(UTF_8));
  }

  private JsonNode awaitStatus(String id, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode state = state(id);
    while (!state.get("status").asText().equals(status) || status.equals("stopped") && !state.has("exitStatus")) {
      assertTrue(System.nanoTime() < deadline, "still " + state);
      Thread.sleep(20);
      state = state(id);
    }
    return state;
  }

  private Path out() {
    return bundle.resolve("rootfs/tmp/out");
  }

  private static String awaitFile(Path file) throws Exception {
    return awaitFile(file, 1);
  }

  private static String awaitFile(Path file, int lines) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(file) || Files.readAllLines(file).size() < lines) {
      assertTrue(System.nanoTime() < deadline, file + " did not appear");
      Thread.sleep(20);
    }
    return Files.readString(file);
  }

  private static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
      return !state.equals("Z") && !state.equals("X");
    } catch (IOException gone) {
      return false;
    }
  }

  /** A runtime-spec config.json with Docker-like isolation; extra JSON goes at the top level and in linux. */
  static String config(List<String> args, String topLevel, String linux) {
    String argv = String.join(", ", args.stream().map(a -> Json.mapper().valueToTree(a).toString()).toList());
    return "{\"ociVersion\": \"1.0.2\", \"hostname\": \"box\", \"annotations\": {\"dev.minke.test\": \"it\"},\n"
        + " \"process\": {\"terminal\": false, \"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [" + argv + "],"
        + " \"env\": [\"PATH=/bin\"], \"cwd\": \"/\", \"noNewPrivileges\": true,"
        + " \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_SETUID\", \"CAP_SETGID\"]},"
        + " \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}]},\n"
        + " \"root\": {\"path\": \"rootfs\"}" + topLevel + ",\n"
        + " \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"ipc\"},"
        + " {\"type\": \"uts\"}, {\"type\": \"network\"}],"
        + " \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"]" + linux + "}}\n";
  }

  /** A bundle: config.json and a busybox rootfs. */
  static Path bundle(Path dir, String config) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("rootfs/bin"));
    Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    for (String d : List.of("proc", "dev", "sys", "tmp")) {
      Files.createDirectories(dir.resolve("rootfs").resolve(d));
    }
    Files.writeString(dir.resolve("config.json"), config);
    Json.read(config.getBytes(UTF_8), Map.class); // fail here on a typo, not in create
    return dir;
  }
}
