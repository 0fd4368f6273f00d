package dev.minke.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json → minke-init records: what is mapped, what is skipped, what is refused. */
class OciBundleSpecTest {
  @TempDir Path bundle;

  private static final String LINUX = "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\"}]}";

  private OciBundleSpec load(String extra, String linux) throws IOException {
    Files.createDirectories(bundle.resolve("rootfs"));
    Files.writeString(bundle.resolve("config.json"),
        "{\"process\": {\"args\": [\"sh\"]}, \"root\": {\"path\": \"rootfs\"}" + extra + ", " + linux + "}");
    return OciBundleSpec.load(bundle, true);
  }

  private static String records(OciBundleSpec spec) {
    return new String(spec.initRecords(Path.of("/run/minke/x/exec.fifo"), List.of(), Optional.empty()), UTF_8).replace('\0', '\n');
  }

  @Test
  void load_defaults_rootfsRecord_networkIsNet_noSeccompWithoutProfile() throws IOException {
    String records = records(load("", LINUX));

    assertTrue(records.startsWith("rootfs=" + bundle.toRealPath().resolve("rootfs") + "\n"), records);
    assertTrue(records.contains("\nns=mount\nns=net\n"), records);
    assertTrue(records.contains("\ncwd=/\narg=sh\nuid=0\ngid=0\n"), records);
    assertTrue(records.contains("\nseccomp=none\n"), records);
    assertTrue(records.endsWith("start_fifo=/run/minke/x/exec.fifo\n"), records);
  }

  @Test
  void mountRecord_standardSkipped_bindResolvedInBundle_tmpfsKept_cgroupMapped() {
    List<String> warnings = new ArrayList<>();
    Path dir = Path.of("/b");

    assertEquals(null, OciBundleSpec.mountRecord(dir, mount("/dev/shm", "tmpfs", "shm", "size=64m"), true, warnings));
    assertEquals("/data|bind|/b/host/data|rbind,ro",
        OciBundleSpec.mountRecord(dir, mount("/data", "none", "host/data", "rbind", "rro"), true, warnings));
    assertEquals("/run|tmpfs|tmpfs|nosuid,mode=755",
        OciBundleSpec.mountRecord(dir, mount("run", "tmpfs", "tmpfs", "nosuid", "mode=755", "tmpcopyup"), true,
            warnings));
    assertEquals("/sys/fs/cgroup|cgroup2|cgroup2|ro",
        OciBundleSpec.mountRecord(dir, mount("/sys/fs/cgroup", "cgroup", "cgroup", "ro"), true, warnings));
    assertEquals(null,
        OciBundleSpec.mountRecord(dir, mount("/sys/fs/cgroup", "cgroup", "cgroup", "ro"), false, warnings));
    assertEquals(1, warnings.size(), warnings.toString());
  }

  @Test
  void load_namespaceWithPath_refusedNamingIt() {
    OciBundleException e = assertThrows(OciBundleException.class, () -> load("",
        "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"ipc\", \"path\": \"/proc/7/ns/ipc\"}]}"));

    assertEquals("linux.namespaces", e.field());
    assertTrue(e.problem().contains("existing ipc namespace /proc/7/ns/ipc"), e.problem());
  }

  @Test
  void load_refusals_noMountNamespace_terminal_hooks_hostnameWithoutUts() {
    assertThrows(OciBundleException.class, () -> load("", "\"linux\": {\"namespaces\": [{\"type\": \"pid\"}]}"));
    assertEquals("process.terminal", assertThrows(OciBundleException.class,
        () -> load(", \"process\": {\"terminal\": true, \"args\": [\"sh\"]}", LINUX)).field());
    assertEquals("hooks", assertThrows(OciBundleException.class,
        () -> load(", \"hooks\": {\"prestart\": [{\"path\": \"/bin/true\"}]}", LINUX)).field());
    assertEquals("hostname",
        assertThrows(OciBundleException.class, () -> load(", \"hostname\": \"h\"", LINUX)).field());
  }

  @Test
  void load_capabilitySetsMinkeDoesNotApply_areWarnings() throws IOException {
    String caps = ", \"process\": {\"args\": [\"sh\"], \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_CHOWN\"],"
        + " \"effective\": [\"CAP_CHOWN\", \"CAP_KILL\"], \"permitted\": [\"CAP_KILL\"],"
        + " \"inheritable\": [\"CAP_KILL\"], \"ambient\": []}}";

    List<String> warnings = load(caps, LINUX).warnings();

    assertEquals(List.of(
        "process.capabilities.inheritable is not applied: Minke leaves the inheritable and ambient sets empty"
            + " (CVE-2022-29162)",
        "process.capabilities.permitted is not applied as given: it is the bounding set"), warnings);
  }

  @Test
  void signal_namesAndNumbers() {
    assertEquals(9, OciSignal.parse("KILL"));
    assertEquals(9, OciSignal.parse("sigkill"));
    assertEquals(15, OciSignal.parse("15"));
    assertEquals(10, OciSignal.parse("SIGUSR1"));
    assertEquals(36, OciSignal.parse("RTMIN+2"));
    assertThrows(IllegalArgumentException.class, () -> OciSignal.parse("FLY"));
    assertThrows(IllegalArgumentException.class, () -> OciSignal.parse("65"));
  }

  private static RuntimeSpec.Mount mount(String dest, String type, String source, String... options) {
    return new RuntimeSpec.Mount(dest, type, source, List.of(options));
  }
}
