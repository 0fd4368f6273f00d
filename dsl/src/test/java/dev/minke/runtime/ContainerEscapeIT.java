package dev.minke.runtime;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BuildOptions;
import dev.minke.build.TestStores;
import dev.minke.dsl.Image;
import dev.minke.error.MinkeException;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Escapes that must fail (issue 9, "Proof under stress"): one row per runtime CVE (research
 * §2.3) and per isolation default of Docker (§2.1: masked and read-only paths, dropped
 * capabilities, the seccomp profile, the device cgroup), each tried from inside a real container
 * under minke-init and under runc.
 *
 * <p>Busybox cannot make raw system calls, so {@code src/test/c/escape-probe.c} does: the test
 * compiles it with {@code cc -static}, copies it into a busybox image and runs it once per
 * backend as the container's command; it prints one {@code NAME denied|ALLOWED HOW} line per
 * attempt, and each row below checks its line. CVEs the probe cannot reach (they need a hostile
 * image or mount) are separate tests here, or already in {@link RuntimeCveIT} and {@link
 * MinkeInitIT} (named in {@link #ROWS} where so).
 */
class ContainerEscapeIT {
  @TempDir static Path home;
  @TempDir static Path context;
  static Store store;
  static Image probeImage;
  /** backend ("minke-init" or "runc") → probe line name → "denied\tHOW" or "ALLOWED\tWHAT". */
  static final Map<String, Map<String, String>> verdicts = new ConcurrentHashMap<>();
  /** The containers this class ran, for the leftover check. */
  static final java.util.Set<String> ids = ConcurrentHashMap.newKeySet();

  /** What each probe line stands for: a Docker default or a CVE. */
  static final Map<String, String> ROWS = rows(
      "cve-2024-21626-leaked-fd", "CVE-2024-21626: no host fd is open in the container (the cwd half: RuntimeCveIT)",
      "cve-2019-5736-proc-exe", "CVE-2019-5736: no /proc/PID/exe in the container opens for writing (sealed helper: MinkeInitIT)",
      "mask-proc-kcore", "masked path /proc/kcore",
      "mask-proc-keys", "masked path /proc/keys",
      "mask-proc-timer-list", "masked path /proc/timer_list",
      "mask-proc-timer-stats", "masked path /proc/timer_stats",
      "mask-proc-sched-debug", "masked path /proc/sched_debug",
      "mask-proc-latency-stats", "masked path /proc/latency_stats",
      "mask-proc-interrupts", "masked path /proc/interrupts (GHSA-6fw5-f8r9-fgfm)",
      "mask-proc-acpi", "masked path /proc/acpi",
      "mask-proc-asound", "masked path /proc/asound",
      "mask-proc-scsi", "masked path /proc/scsi",
      "mask-sys-firmware", "masked path /sys/firmware",
      "mask-sys-powercap", "masked path /sys/devices/virtual/powercap (GHSA-jq35-85cj-fj4p)",
      "ro-proc-sys-hostname", "read-only /proc/sys: kernel.hostname",
      "ro-proc-sys-core-pattern", "read-only /proc/sys: kernel.core_pattern (core-dump helper runs on the host)",
      "ro-proc-sys-drop-caches", "read-only /proc/sys: vm.drop_caches",
      "ro-proc-sysrq-trigger", "read-only /proc/sysrq-trigger",
      "ro-proc-irq", "read-only /proc/irq",
      "ro-sys-uevent-helper", "read-only /sys: kernel/uevent_helper (hotplug helper runs on the host)",
      "ro-sys-kernel-mm", "read-only /sys: kernel/mm",
      "cve-2022-0492-release-agent", "CVE-2022-0492: cgroup v1 release_agent is not writable",
      "cve-2022-0492-notify-on-release", "CVE-2022-0492: cgroup v1 notify_on_release is not writable",
      "cap-sys-admin-sethostname", "dropped CAP_SYS_ADMIN: sethostname after start",
      "cap-sys-admin-setdomainname", "dropped CAP_SYS_ADMIN: setdomainname",
      "cap-sys-time-clock-settime", "dropped CAP_SYS_TIME: clock_settime (date -s)",
      "cap-sys-time-settimeofday", "dropped CAP_SYS_TIME: settimeofday",
      "cap-sys-time-adjtimex", "dropped CAP_SYS_TIME: adjtimex with modes",
      "cap-net-admin-set-mtu", "dropped CAP_NET_ADMIN: SIOCSIFMTU (ip link set mtu)",
      "cap-sys-module-init-module", "dropped CAP_SYS_MODULE: init_module",
      "cap-sys-module-finit-module", "dropped CAP_SYS_MODULE: finit_module",
      "cap-sys-module-delete-module", "dropped CAP_SYS_MODULE: delete_module",
      "cap-sys-rawio-iopl", "dropped CAP_SYS_RAWIO: iopl",
      "cap-sys-rawio-ioperm", "dropped CAP_SYS_RAWIO: ioperm",
      "cap-sys-boot-reboot", "dropped CAP_SYS_BOOT: reboot",
      "cap-syslog-read", "dropped CAP_SYSLOG: syslog (dmesg)",
      "cap-sys-nice-raise-priority", "dropped CAP_SYS_NICE: a negative nice value",
      "cap-sys-resource-raise-rlimit", "dropped CAP_SYS_RESOURCE: raising a hard rlimit",
      "cap-dac-read-search-shocker", "dropped CAP_DAC_READ_SEARCH: open_by_handle_at (the 2014 shocker escape)",
      "cap-sys-ptrace-attach", "dropped CAP_SYS_PTRACE / seccomp: ptrace(PTRACE_ATTACH)",
      "seccomp-keyctl", "seccomp: keyctl",
      "seccomp-add-key", "seccomp: add_key",
      "seccomp-request-key", "seccomp: request_key",
      "seccomp-unshare-user", "seccomp: unshare(CLONE_NEWUSER)",
      "seccomp-unshare-mount", "seccomp: unshare(CLONE_NEWNS)",
      "seccomp-clone-newuser", "seccomp: clone(CLONE_NEWUSER)",
      "seccomp-setns", "seccomp: setns",
      "seccomp-mount-tmpfs", "seccomp: mount",
      "seccomp-umount-proc", "seccomp: umount2 of a mask",
      "seccomp-pivot-root", "seccomp: pivot_root",
      "seccomp-fsopen", "seccomp: fsopen (new mount API)",
      "seccomp-open-tree", "seccomp: open_tree (new mount API)",
      "seccomp-move-mount", "seccomp: move_mount (new mount API)",
      "seccomp-bpf", "seccomp: bpf",
      "seccomp-perf-event-open", "seccomp: perf_event_open",
      "seccomp-kexec-load", "seccomp: kexec_load",
      "seccomp-kexec-file-load", "seccomp: kexec_file_load",
      "seccomp-userfaultfd", "seccomp: userfaultfd",
      "seccomp-io-uring-setup", "seccomp: io_uring_setup",
      "seccomp-swapon", "seccomp: swapon",
      "seccomp-acct", "seccomp: acct",
      "seccomp-quotactl", "seccomp: quotactl",
      "seccomp-lookup-dcookie", "seccomp: lookup_dcookie",
      "seccomp-clock-adjtime", "seccomp: clock_adjtime",
      "seccomp-personality-read-implies-exec", "seccomp: personality(READ_IMPLIES_EXEC)",
      "seccomp-socket-vsock", "seccomp: socket(AF_VSOCK)",
      "seccomp-clone3", "seccomp: clone3 (ENOSYS, so libc falls back to clone)",
      "dev-host-disk-absent", "devices: no host disk node (/dev/vda)",
      "dev-sda-absent", "devices: no /dev/sda",
      "dev-mem-absent", "devices: no /dev/mem",
      "dev-kmsg-absent", "devices: no /dev/kmsg",
      "dev-mknod-block-disk", "device cgroup: mknod b 254:0 (a host disk) does not open",
      "dev-mknod-block-sda", "device cgroup: mknod b 8:0 (sda) does not open",
      "dev-mknod-mem", "device cgroup: mknod c 1:1 (/dev/mem) does not open",
      "dev-mknod-kmsg", "device cgroup: mknod c 1:11 (/dev/kmsg) does not open",
      "dev-mknod-loop-control", "device cgroup: mknod c 10:237 (loop-control) does not open",
      "dev-mknod-fuse", "device cgroup: mknod c 10:229 (fuse, denied by Docker) does not open",
      "dev-mknod-kvm", "device cgroup: mknod c 10:232 (kvm) does not open",
      "dev-mknod-tty0", "device cgroup: mknod c 4:0 (the host console tty0) does not open");

  private static Map<String, String> rows(String... nameThenCovers) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (int i = 0; i < nameThenCovers.length; i += 2) {
      rows.put(nameThenCovers[i], nameThenCovers[i + 1]);
    }
    return rows;
  }

  @BeforeAll
  static void buildProbeImage() throws Exception {
    assumeTrue(dev.minke.os.Posix.isRoot(), "containers need root here");
    Path source = Path.of("src/test/c/escape-probe.c").toAbsolutePath();
    Path binary = context.resolve("escape-probe");
    Process cc = new ProcessBuilder("cc", "-std=gnu11", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
        "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
    String ccOutput = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(cc.waitFor(60, TimeUnit.SECONDS), "cc did not end");
    assertEquals(0, cc.exitValue(), "cc -static (gcc, libc6-dev as for minke-init): " + ccOutput);
    store = TestStores.withBusybox(home);
    probeImage = from("busybox").copy("escape-probe", "/escape-probe").context(context)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  @AfterAll
  static void nothingLeftBehind() throws IOException {
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), Cgroups.leftovers().stream().filter(p -> ids.stream().anyMatch(p::contains)).toList(),
        "cgroups were left behind");
  }

  static Stream<Arguments> rowsPerBackend() {
    return Stream.of("minke-init", "runc")
        .flatMap(backend -> ROWS.entrySet().stream().map(row -> Arguments.of(backend, row.getKey(), row.getValue())));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("rowsPerBackend")
  void escapeFails(String backend, String probe, String covers) {
    String verdict = verdictsOf(backend).get(probe);
    assertNotNull(verdict, "the probe printed no line for " + probe + " (" + covers + ")");
    assertTrue(verdict.startsWith("denied\t"), covers + ": " + probe + " " + verdict);
  }

  /** Every attempt the probe makes has a row here, and it ran to its end. */
  @ParameterizedTest
  @ValueSource(strings = {"minke-init", "runc"})
  void everyProbeLineHasARow(String backend) {
    Map<String, String> lines = verdictsOf(backend);
    assertTrue(lines.containsKey("end"), "the probe did not run to its end: " + lines);
    assertEquals(List.of(), lines.keySet().stream().filter(l -> !l.equals("end") && !ROWS.containsKey(l)).toList());
  }

  /** Runs the probe once per backend; the rows share its output. */
  static synchronized Map<String, String> verdictsOf(String backend) {
    Map<String, String> known = verdicts.get(backend);
    if (known != null) {
      return known;
    }
    RunResult r = withBackend(backend, () -> new Containers(store).run(probeImage.manifestDescriptor(),
        "escape-probe", RunOptions.defaults().withCommand(List.of("/escape-probe")), OutputListener.NONE, true));
    ids.add(r.containerId());
    Map<String, String> lines = new LinkedHashMap<>();
    r.stdout().lines().forEach(line -> {
      int tab = line.indexOf('\t');
      lines.put(tab < 0 ? line : line.substring(0, tab), tab < 0 ? "" : line.substring(tab + 1));
    });
    verdicts.put(backend, lines);
    return lines;
  }

  /** Runs {@code action} with the backend a user would pick with {@code minke.runtime}. */
  static <T> T withBackend(String backend, java.util.function.Supplier<T> action) {
    if (backend.equals("minke-init")) {
      return action.get();
    }
    assumeTrue(Runtimes.findOnPath(backend).isPresent(), backend + " is not installed");
    System.setProperty("minke.runtime", backend);
    try {
      return action.get();
    } finally {
      System.clearProperty("minke.runtime");
    }
  }

  private static Image imageWithLink(String linkName, String target) throws IOException {
    Path dir = Files.createTempDirectory(context, "ctx");
    Files.createSymbolicLink(dir.resolve(linkName), Path.of(target));
    return from("busybox").copy(".", "/").context(dir)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  private static RunResult sh(String backend, Image image, RunOptions options, String script) {
    RunResult r = withBackend(backend, () -> new Containers(store).run(image.manifestDescriptor(), "escape-test",
        options.withCommand(List.of("sh", "-c", script)), OutputListener.NONE, true));
    ids.add(r.containerId());
    return r;
  }

  /**
   * CVE-2023-27561 / CVE-2023-28642: an image whose /proc is a symlink inside its own root (to
   * /tmp) cannot turn the proc mount, and the masks and read-only binds made under it, into
   * something else: the run is refused, or /proc is procfs and /tmp is not.
   */
  @ParameterizedTest
  @ValueSource(strings = {"minke-init", "runc"})
  void cve_2023_27561_and_28642_procAsSymlinkInsideTheRoot(String backend) throws IOException {
    Image image = imageWithLink("proc", "/tmp");
    try {
      RunResult r = sh(backend, image, RunOptions.defaults(),
          "stat -f -c %T /proc; stat -f -c %T /tmp; cat /proc/timer_list | wc -c");
      List<String> lines = r.stdout().lines().map(String::strip).toList();
      assertEquals("proc", lines.get(0), r.output());
      assertFalse(lines.get(1).equals("proc"), r.output());
      assertEquals("0", lines.get(2), "the masks still hold: " + r.output());
    } catch (MinkeException refused) {
      // Refusing the image is as good as confining it.
    }
  }

  /**
   * CVE-2024-45310 (and CVE-2021-30465's mount-target class): a volume holding a symlink that
   * points out to a host directory, with a second mount whose target goes through that symlink,
   * creates nothing in the host directory.
   */
  @ParameterizedTest
  @ValueSource(strings = {"minke-init", "runc"})
  void cve_2024_45310_mountTargetThroughAVolumeSymlink_createsNothingOnTheHost(String backend) throws IOException {
    Path volume = Files.createTempDirectory(context, "volume");
    Path other = Files.createTempDirectory(context, "other");
    Path hostDir = Files.createTempDirectory(context, "host");
    Files.createSymbolicLink(volume.resolve("escape"), hostDir);
    try {
      sh(backend, probeImage, RunOptions.defaults().withVolume(volume + ":/data")
          .withVolume(other + ":/data/escape/sub"), "ls /data/escape");
    } catch (MinkeException refused) {
      // Refusing the mount is as good as confining it.
    }
    try (Stream<Path> files = Files.list(hostDir)) {
      assertEquals(List.of(), files.toList(), "nothing was created or mounted in the host directory");
    }
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(hostDir.toString()));
  }

  /**
   * CVE-2025-52881's family (writes redirected to other /proc files): from inside, the masks and
   * read-only /proc paths can be neither unmounted nor remounted writable.
   */
  @ParameterizedTest
  @ValueSource(strings = {"minke-init", "runc"})
  void cve_2025_52881_procMasksCannotBeRemountedOrUnmasked(String backend) {
    RunResult r = sh(backend, probeImage, RunOptions.defaults(),
        "mount -o remount,rw /proc/sys || echo remount refused; umount /proc/timer_list || echo umount refused; "
            + "echo x > /proc/sys/kernel/core_pattern || echo write refused; cat /proc/timer_list | wc -c");
    assertEquals(List.of("remount refused", "umount refused", "write refused", "0"),
        r.stdout().lines().map(String::strip).toList(), r.output());
  }

  /**
   * The same probe started by {@code minke exec} in a running container: an exec'd process gets
   * the container's capabilities, seccomp filter, device cgroup and no fd of the host (the exec
   * half of CVE-2024-21626).
   */
  @Test
  void execdProcess_escapesNothingEither() {
    Containers containers = new Containers(store);
    ContainerRecord box = containers.create(probeImage.manifestDescriptor(), "escape-probe",
        RunOptions.defaults().withCommand(List.of("sleep", "60")), null);
    ids.add(box.id());
    try {
      containers.startDetached(box.id());
      RunResult r = containers.exec(box.id(), ExecOptions.of("/escape-probe"), OutputListener.NONE);
      assertTrue(r.stdout().contains("\nend\n"), r.output());
      assertEquals(List.of(), r.stdout().lines().filter(l -> l.contains("\tALLOWED\t")).toList(), r.output());
      assertTrue(r.stdout().lines().count() > ROWS.size(), r.output());
    } finally {
      containers.remove(box.id(), true);
    }
  }
}
