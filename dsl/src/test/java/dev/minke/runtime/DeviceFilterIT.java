package dev.minke.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.os.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 device filter for real: minke-init loads the BPF program for the rules and
 * attaches it to a cgroup2 directory, and a busybox container in that cgroup makes device nodes
 * with mknod and opens them. Runs wherever a cgroup2 hierarchy is mounted, also on a v1/v2 hybrid
 * host ({@code /sys/fs/cgroup/unified}): device programs are enforced for the processes of a
 * cgroup2 directory whatever controllers it has. Every cgroup is made under this test's own
 * directory, removed afterwards.
 */
class DeviceFilterIT {
  static final String EPERM = "Operation not permitted";

  @TempDir Path dir;
  Path binary;
  Path rootfs;
  Path testCgroup; // <cgroup2>/minke-device-filter-it-<random>, this test's own
  final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "loading BPF programs needs root");
    binary = MinkeInitIT.findBinary();
    assumeTrue(binary != null, "minke-init was not built (no gcc or libseccomp.a)");
    assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox");
    CgroupLayout layout =
        CgroupLayout.parse(Files.readString(Path.of("/proc/self/mountinfo")), Files.readString(Path.of("/proc/self/cgroup")));
    assumeTrue(layout.unifiedMount().isPresent(), "no cgroup2 hierarchy is mounted");
    rootfs = MinkeInitIT.makeBusyboxRootfs(dir.resolve("rootfs"));
    for (String applet : List.of("mknod", "head", "sed")) {
      Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    testCgroup = Files.createDirectory(
        layout.unifiedMount().get().resolve("minke-device-filter-it-" + UUID.randomUUID().toString().substring(0, 8)));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : started) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (testCgroup != null) {
      removeTree(testCgroup);
    }
  }

  @Test
  void v2Cgroup_dockerDefaultRules_hostDevicesDenied_harmlessOnesOpen() throws Exception {
    try (CgroupHandle cgroup = Cgroups.v2At(testCgroup, CgroupFs.KERNEL, 2).create("box", null)) {
      Map<String, String> verdicts = probe(withFilter(cgroup.procsFiles().get(0), cgroup.deviceFilterDir().orElseThrow(),
          DeviceRules.DOCKER_DEFAULT));

      for (String denied : List.of("kvm", "loop-control", "fuse", "tty0", "mem", "kmsg", "loop0", "vda", "sda")) {
        assertEquals("mknod ok, open " + EPERM, verdicts.get(denied), denied);
      }
      for (String allowed : List.of("null", "zero", "full", "random", "urandom")) {
        assertEquals("mknod ok, open ok", verdicts.get(allowed), allowed);
      }
      // No controlling terminal and no such pts: they open as far as the driver, not EPERM.
      for (String driverSays : List.of("tty", "pts7")) {
        assertTrue(verdicts.get(driverSays).startsWith("mknod ok, open ")
            && !verdicts.get(driverSays).contains(EPERM), driverSays + ": " + verdicts.get(driverSays));
      }
      assertEquals("ok", verdicts.get("dev-null"), "the container's own /dev/null");
    }
  }

  @Test
  void withoutFilter_theSameNodesOpen() throws Exception {
    // The control: the denials above come from the filter, not from the probe or the kernel.
    Map<String, String> verdicts = probe(base());

    assertTrue(List.of("kvm", "loop-control", "tty0", "loop0").stream()
        .anyMatch(name -> verdicts.get(name).equals("mknod ok, open ok")), verdicts.toString());
  }

  @Test
  void ruleForms_typeAccessAndWildcards_eachHonoured() throws Exception {
    Map<String, String> verdicts = probe(withFilter(testCgroup.resolve("cgroup.procs"), testCgroup,
        List.of("c *:* m", "c 1:3 r", "c 1:5 w", "c 1:8 rw", "b 7:* rwm")));

    assertEquals("ok", verdicts.get("dev-null-read"));
    assertEquals(EPERM, verdicts.get("dev-null-write"), "c 1:3 r allows no write");
    assertEquals(EPERM, verdicts.get("dev-null-rdwr"), "read and write asked at once: both must be allowed");
    assertEquals("ok", verdicts.get("dev-zero-write"));
    assertEquals(EPERM, verdicts.get("dev-zero-read"));
    assertEquals("ok", verdicts.get("dev-random-rdwr"));
    assertEquals("mknod ok, open ok", verdicts.get("loop0"), "b 7:* matches any minor");
    assertEquals("mknod " + EPERM, verdicts.get("sda"), "no mknod rule for block 8");
    assertEquals("mknod ok, open " + EPERM, verdicts.get("kvm"));
  }

  @Test
  void allowAll_ruleWithoutConditions_loadsAndAllows() throws Exception {
    Map<String, String> verdicts = probe(withFilter(testCgroup.resolve("cgroup.procs"), testCgroup,
        List.of("a *:* rwm", "c 1:3 r")));

    assertEquals("ok", verdicts.get("dev-null-rdwr"));
    assertTrue(!verdicts.get("loop0").contains(EPERM) && !verdicts.get("kvm").contains(EPERM), verdicts.toString());
  }

  @Test
  void noRules_denyEverything_evenMinkeInitsOwnDevNull() throws Exception {
    MinkeInitIT.Result r = run(withFilter(testCgroup.resolve("cgroup.procs"), testCgroup, List.of()).args("true"));

    r.assertExit(125);
    assertTrue(r.report.stream().anyMatch(l -> l.startsWith("error devices 1 ")), r.report.toString());
  }

  @Test
  void spec_rulesWithoutDir_orMalformedRule_refused() throws Exception {
    MinkeInitIT.Result noDir = run(base().add("device_allow=c 1:3 rwm").args("true"));
    MinkeInitIT.Result malformed =
        run(withFilter(testCgroup.resolve("cgroup.procs"), testCgroup, List.of("c 1:3 rwx")).args("true"));

    noDir.assertExit(125);
    assertEquals(List.of("error spec 22 device_allow needs device_filter="), noDir.report);
    malformed.assertExit(125);
    assertTrue(malformed.report.get(0).startsWith("error spec 22 device_allow must be"), malformed.report.toString());
  }

  // --- fixtures --------------------------------------------------------------------------

  /** Device nodes the probe makes in /tmp: name → "TYPE MAJOR MINOR". */
  static final Map<String, String> NODES = nodes(
      "kvm", "c 10 232", "loop-control", "c 10 237", "fuse", "c 10 229", "tty0", "c 4 0", "mem", "c 1 1",
      "kmsg", "c 1 11", "loop0", "b 7 0", "vda", "b 254 0", "sda", "b 8 0", "null", "c 1 3", "zero", "c 1 5",
      "full", "c 1 7", "random", "c 1 8", "urandom", "c 1 9", "tty", "c 5 0", "pts7", "c 136 7");

  /**
   * One line per node: {@code NAME mknod ok, open ok} or the error text of the step that failed
   * (busybox prints "sh: can't open …: Operation not permitted"); then opens of the container's
   * own /dev nodes for read, write and both ({@code <>}). The redirections are on {@code true}:
   * a failed one on a special builtin such as {@code :} would end the shell. {@code 2>} comes
   * first: redirections are made left to right, and the failing one stops the rest.
   */
  static String probeScript() {
    StringBuilder s = new StringBuilder("err() { sed -n '$s/.*: //p' /tmp/err; }\n");
    NODES.forEach((name, node) -> s.append("if mknod /tmp/").append(name).append(' ').append(node)
        .append(" 2>/tmp/err; then if true 2>/tmp/err <>/tmp/").append(name)
        .append(" || true 2>/tmp/err </tmp/").append(name).append("; then echo '").append(name).append(" mknod ok, open ok'; else echo \"")
        .append(name).append(" mknod ok, open $(err)\"; fi; else echo \"").append(name)
        .append(" mknod $(err)\"; fi\n"));
    for (String[] open : new String[][] {{"null-read", "<", "null"}, {"null-write", ">", "null"},
        {"null-rdwr", "<>", "null"}, {"zero-read", "<", "zero"}, {"zero-write", ">", "zero"},
        {"random-rdwr", "<>", "random"}, {"null", ">", "null"}}) {
      s.append("if true 2>/tmp/err ").append(open[1]).append("/dev/").append(open[2]).append("; then echo 'dev-")
          .append(open[0]).append(" ok'; else echo \"dev-").append(open[0]).append(" $(err)\"; fi\n");
    }
    return s.toString();
  }

  static Map<String, String> nodes(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  Map<String, String> probe(MinkeInitIT.Spec spec) throws Exception {
    MinkeInitIT.Result r = run(spec.args("sh", "-c", probeScript()));
    r.assertExit(0);
    Map<String, String> verdicts = new LinkedHashMap<>();
    r.stdout.lines().forEach(line -> verdicts.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
    return verdicts;
  }

  /** A container with Docker's capabilities (CAP_MKNOD among them) and seccomp profile. */
  MinkeInitIT.Spec base() {
    MinkeInitIT.Spec s = new MinkeInitIT.Spec().add("rootfs=" + rootfs).add("ns=mount").add("ns=pid")
        .add("env=PATH=/bin");
    MinkeInitIT.DOCKER_CAPS.forEach(c -> s.add("cap=" + c));
    return s.add("no_new_privs=1").add("seccomp=default");
  }

  MinkeInitIT.Spec withFilter(Path procs, Path filterDir, List<String> rules) {
    MinkeInitIT.Spec s = base().add("cgroup=" + procs).add("device_filter=" + filterDir);
    rules.forEach(rule -> s.add("device_allow=" + rule));
    return s;
  }

  /** minke-init with {@code --spec} and {@code --report}, as Java's backend starts it. */
  MinkeInitIT.Result run(MinkeInitIT.Spec spec) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path specFile = Files.write(dir.resolve("spec-" + id), spec.bytes());
    Path report = dir.resolve("report-" + id);
    Path out = dir.resolve("out-" + id);
    Path err = dir.resolve("err-" + id);
    Process p = new ProcessBuilder(binary.toAbsolutePath().toString(), "--spec", specFile.toString(), "--report",
        report.toString())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    started.add(p);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("minke-init did not end within 30 s");
    }
    return new MinkeInitIT.Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8),
        Files.exists(report) ? Files.readAllLines(report) : List.of());
  }

  /** rmdir bottom up; the kernel lets a cgroup go once its last process was reaped. */
  static void removeTree(Path cgroup) throws Exception {
    List<Path> dirs;
    try (var walk = Files.walk(cgroup)) {
      dirs = walk.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
    }
    for (Path d : dirs) {
      for (int attempt = 0; ; attempt++) {
        try {
          Files.delete(d);
          break;
        } catch (IOException busy) {
          if (attempt == 50) {
            throw busy;
          }
          Thread.sleep(20);
        }
      }
    }
  }
}
