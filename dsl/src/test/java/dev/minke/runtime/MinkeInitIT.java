package dev.minke.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.os.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the real minke-init (built by Maven into target/classes) as root on a busybox rootfs.
 *
 * <p>fd 3 and fd 4 are passed the simple way: {@code sh -c 'exec minke-init 3<SPEC 4>REPORT'},
 * with the spec in a file and the report written to a file that the test reads (polled while the
 * container runs). Each test checks afterwards that no mount under its temp dir and no container
 * process is left.
 */
class MinkeInitIT {
  /** Docker's 14 default capabilities, as /proc/self/status prints them. */
  static final String DOCKER_CAPS_HEX = "00000000a80425fb";

  static final List<String> DOCKER_CAPS =
      List.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
          "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  static final List<String> DOCKER_MASKS =
      List.of(
          "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
          "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
          "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

  static final List<String> DOCKER_READONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  static final List<String> APPLETS =
      List.of(
          "sh", "hostname", "ps", "cat", "ls", "id", "grep", "mount", "sleep", "touch", "echo",
          "true", "rm", "wc", "unshare");

  @TempDir Path dir;
  Path binary;
  Path rootfs;
  String marker;
  final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "minke-init tests run as root");
    binary = findBinary();
    assumeTrue(binary != null, "minke-init was not built (no gcc or libseccomp.a)");
    assumeTrue(Files.isExecutable(Paths.get("/bin/busybox")), "needs /bin/busybox");
    rootfs = makeBusyboxRootfs(dir.resolve("rootfs"));
    marker = UUID.randomUUID().toString();
  }

  @AfterEach
  void nothingLeftBehind() throws IOException, InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("minke-init " + p.pid() + " was still running");
      }
    }
    waitUntilNoContainerProcess();
    String mountinfo = Files.readString(Paths.get("/proc/self/mountinfo"));
    assertFalse(mountinfo.contains(dir.toString()), "a mount is left under " + dir);
  }

  // --- isolation -------------------------------------------------------------------------

  @Test
  void pidNamespace_shellIsPid1_andPsShowsOnlyContainerProcesses() throws Exception {
    // "; true" keeps sh alive: busybox sh would exec a last command in place.
    Result r = run(baseSpec().args("sh", "-c", "echo $$; ps; true"));

    r.assertExit(0);
    List<String> lines = r.stdoutLines();
    assertEquals("1", lines.get(0));
    Set<Integer> pids = new HashSet<>();
    for (String line : lines.subList(2, lines.size())) {
      pids.add(Integer.parseInt(line.trim().split("\\s+")[0]));
    }
    assertTrue(pids.contains(1) && pids.size() == 2 && pids.stream().allMatch(p -> p < 10),
        "ps saw " + lines);
    assertTrue(r.report.get(r.report.size() - 1).matches("pid \\d+"), r.report.toString());
  }

  @Test
  void hostname_isTheSpecs() throws Exception {
    Result r = run(baseSpec().add("hostname=minke-box").args("hostname"));

    r.assertExit(0);
    assertEquals("minke-box", r.stdout.strip());
  }

  @Test
  void status_dockerCapsNoInheritableOrAmbient_noNewPrivs_seccompFilter() throws Exception {
    Result r = run(baseSpec().args("cat", "/proc/self/status"));

    r.assertExit(0);
    assertEquals(DOCKER_CAPS_HEX, r.statusField("CapEff"));
    assertEquals(DOCKER_CAPS_HEX, r.statusField("CapPrm"));
    assertEquals(DOCKER_CAPS_HEX, r.statusField("CapBnd"));
    assertEquals("0000000000000000", r.statusField("CapInh"));
    assertEquals("0000000000000000", r.statusField("CapAmb"));
    assertEquals("1", r.statusField("NoNewPrivs"));
    assertEquals("2", r.statusField("Seccomp"));
  }

  @Test
  void seccomp_blocksUnshareAndMount_withoutItUnshareWorks() throws Exception {
    String probe =
        "unshare -U true && echo unshare-ok; mount -t tmpfs none /tmp && echo mount-ok; true";

    Result filtered = run(baseSpec().args("sh", "-c", probe));
    Result unfiltered =
        run(baseSpecWithout("seccomp=").add("seccomp=none").args("sh", "-c", probe));

    filtered.assertExit(0);
    assertEquals("", filtered.stdout.strip());
    unfiltered.assertExit(0);
    assertEquals("unshare-ok", unfiltered.stdout.strip()); // mount still lacks CAP_SYS_ADMIN
  }

  @Test
  void maskedPaths_emptyOrUnreadable() throws Exception {
    Result r =
        run(
            baseSpec()
                .args(
                    "sh",
                    "-c",
                    "cat /proc/kcore 2>/dev/null | wc -c; cat /proc/timer_list | wc -c;"
                        + " ls /proc/acpi | wc -l; ls /sys/firmware | wc -l"));

    r.assertExit(0);
    assertEquals(List.of("0", "0", "0", "0"), r.stdoutLines());
  }

  @Test
  void readonlyPaths_procSysNotWritable() throws Exception {
    Result r =
        run(
            baseSpec()
                .args("sh", "-c", "echo evil > /proc/sys/kernel/hostname && echo WROTE; hostname"));

    r.assertExit(0);
    assertFalse(r.stdout.contains("WROTE"), r.stdout);
    assertTrue(r.stderr.contains("Read-only file system"), r.stderr);
  }

  @Test
  void rootfs_hostFilesUnreachable() throws Exception {
    Path sentinel = Files.createTempFile(Paths.get("/tmp"), "minke-sentinel-", "");
    try {
      Result r = run(baseSpec().args("sh", "-c", "ls /; echo ---; ls -a /tmp"));

      r.assertExit(0);
      List<String> lines = r.stdoutLines();
      int sep = lines.indexOf("---");
      List<String> expected;
      try (Stream<Path> s = Files.list(rootfs)) {
        expected = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
      }
      assertEquals(expected, lines.subList(0, sep));
      assertEquals(List.of(".", ".."), lines.subList(sep + 1, lines.size()));
      assertFalse(r.stdout.contains(sentinel.getFileName().toString()));
    } finally {
      Files.delete(sentinel);
    }
  }

  // --- exit codes and signals ------------------------------------------------------------

  @Test
  void exec_missingCommand_exits127_andReportsErrorExecEnoent() throws Exception {
    Result r = run(baseSpec().args("no-such-command"));

    r.assertExit(127);
    assertTrue(r.report.stream().anyMatch(l -> l.startsWith("error exec 2 ")), r.report.toString());
  }

  @Test
  void exec_nonExecutableFile_exits126() throws Exception {
    Files.writeString(rootfs.resolve("notexec"), "echo hi\n");

    Result r = run(baseSpec().args("/notexec"));

    r.assertExit(126);
    assertTrue(r.report.stream().anyMatch(l -> l.startsWith("error exec 13 ")), r.report.toString());
  }

  @Test
  void spec_unknownKey_exits125_namingIt() throws Exception {
    Result r = run(baseSpec().add("frobnicate=1").args("true"));

    r.assertExit(125);
    assertEquals(List.of("error spec 22 unknown key `frobnicate`"), r.report);
  }

  /** Each bad spec is refused before anything happens: exit 125, one `error spec 22` line. */
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "-ns=mount; ; ns=mount is required",
        "-ns=uts; hostname=x; hostname needs ns=uts",
        "; uidmap=0 1000 1; ns=user needs uidmap= and gidmap=, and they need ns=user",
        "; cap=CAP_FLY; unknown capability `CAP_FLY`",
        "; rlimit=RLIMIT_NOFILE:10:5; rlimit RLIMIT_NOFILE: bad or inverted limits `10:5`",
        "; overlay.lower=l; give either rootfs= or overlay.* keys",
        "; seccomp=strict; key given twice: `seccomp`",
        "; mount=/x|tmpfs; mount must be DEST|TYPE|SOURCE|OPTIONS, not `/x|tmpfs`",
        "; mask=proc/kcore; mask must be an absolute path: `proc/kcore`",
        "; ns=time; unknown namespace `time`",
        "-arg=; ; no arg= given: nothing to run",
        "; join=1; join must be a host pid above 1, not `1`",
        "; join=123; join excludes `rootfs`: the container already has its filesystem, hostname and namespaces",
        "-rootfs=; join=123; join excludes `mask`: the container already has its filesystem, hostname and namespaces",
        "; start_fifo=run/exec.fifo; start_fifo must be an absolute path: `run/exec.fifo`",
      })
  void spec_invalid_exits125_beforeActing(String remove, String add, String message)
      throws Exception {
    Spec spec = baseSpec().args("true");
    if (remove != null) {
      spec.records.removeIf(r -> r.startsWith(remove.substring(1)));
    }
    if (add != null) {
      spec.add(add);
    }

    Result r = run(spec);

    r.assertExit(125);
    assertEquals(List.of("error spec 22 " + message), r.report);
  }

  @Test
  void sigterm_withInit_containerEnds143() throws Exception {
    Running c = start(baseSpec().add("init=1").args("sleep", "100"));
    c.awaitPid();

    c.process.destroy(); // SIGTERM to minke-init, forwarded to the container

    assertEquals(143, c.awaitExit());
  }

  /** PID 1 without a handler ignores SIGTERM, as `docker stop` shows; SIGKILL still ends it. */
  @Test
  void sigterm_toHandlerlessPid1_ignored_butKillingMonitorKillsContainer() throws Exception {
    Running c = start(baseSpec().args("sleep", "100"));
    long containerPid = c.awaitPid();

    c.process.destroy();
    Thread.sleep(500);
    assertTrue(c.process.isAlive(), "SIGTERM to a PID 1 without handler is dropped");
    c.process.destroyForcibly();

    assertEquals(137, c.awaitExit());
    waitUntilNoContainerProcess();
    assertTrue(awaitDead(containerPid), "the container outlived its monitor");
  }

  /**
   * start_fifo= (runc's exec.fifo): everything is set up and the pid reported, but the command
   * waits until someone opens the FIFO for reading; it gets one byte, then EOF at the exec.
   */
  @ParameterizedTest
  @CsvSource({"0", "1"})
  void startFifo_commandWaitsForAReader_thenExecs(String init) throws Exception {
    Path fifo = dir.resolve("exec.fifo");
    exec("mkfifo", "-m", "0622", fifo.toString());
    Running c = start(baseSpec().add("init=" + init).add("start_fifo=" + fifo)
        .args("sh", "-c", "echo ran > /tmp/ran; ls /proc/self/fd"));
    c.awaitPid();

    Thread.sleep(300);
    assertFalse(Files.exists(rootfs.resolve("tmp/ran")), "the command ran before the FIFO was read");
    assertTrue(c.process.isAlive());
    StringBuilder released = new StringBuilder();
    // Byte by byte up to EOF (the write end closes at exec); JDK 17's readNBytes would seek.
    try (var in = new java.io.FileInputStream(fifo.toFile())) {
      for (int b; (b = in.read()) >= 0; ) {
        released.append((char) b);
      }
    }

    assertEquals("0", released.toString());
    Result r = c.result();
    r.assertExit(0);
    assertEquals(List.of("0", "1", "2", "3"), r.stdoutLines(), "no fd but stdio (and ls's own) reaches the command");
    assertTrue(Files.exists(rootfs.resolve("tmp/ran")));
  }

  /** Killed while it waits on the FIFO: the monitor reports 137 like any container. */
  @Test
  void startFifo_killedWhileWaiting_exits137() throws Exception {
    Path fifo = dir.resolve("exec.fifo");
    exec("mkfifo", "-m", "0622", fifo.toString());
    Running c = start(baseSpec().add("start_fifo=" + fifo).args("true"));
    long pid = c.awaitPid();

    exec("kill", "-KILL", Long.toString(pid));

    assertEquals(137, c.awaitExit());
  }

  @Test
  void startFifo_notAFifo_failsBeforeSetup() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "");

    Result r = run(baseSpec().add("start_fifo=" + file).args("true"));

    r.assertExit(125);
    String expected = "error start_fifo 22 start_fifo `" + file + "` is not a FIFO";
    assertTrue(r.report.stream().anyMatch(l -> l.startsWith(expected)), r.report.toString());
  }

  /** CVE-2019-5736: the monitor runs from a sealed memfd, not from the binary on disk. */
  @Test
  void monitor_runsFromSealedMemfdCopy() throws Exception {
    Running c = start(baseSpec().add("init=1").args("sleep", "100"));
    c.awaitPid();

    Path exe = Files.readSymbolicLink(Paths.get("/proc/" + c.process.pid() + "/exe"));
    c.process.destroy();

    assertTrue(exe.toString().startsWith("/memfd:minke-init"), exe.toString());
    assertEquals(143, c.awaitExit());
  }

  // --- filesystems -----------------------------------------------------------------------

  @Test
  void overlay_twoLowersAndUpper_writesLandInUpper_whiteoutsHideLower() throws Exception {
    Path ov = Files.createDirectories(dir.resolve("ov"));
    Path top = Files.createDirectories(ov.resolve("l1"));
    Path upper = Files.createDirectories(ov.resolve("up"));
    Files.createDirectories(ov.resolve("wk"));
    Files.createDirectories(ov.resolve("merged"));
    Files.writeString(top.resolve("topfile"), "from-top\n");
    Files.writeString(rootfs.resolve("hidden"), "lower\n");
    Files.writeString(rootfs.resolve("gone"), "lower\n");
    Posix.mknod(upper.resolve("hidden"), Posix.NodeType.CHAR, 0, 0, 0); // an OCI whiteout

    Spec spec =
        baseSpecWithout("rootfs=")
            .add("overlay.dir=" + ov)
            .add("overlay.lower=l1")
            .add("overlay.lower=" + rootfs)
            .add("overlay.upper=up")
            .add("overlay.work=wk")
            .add("overlay.target=merged")
            .args("sh", "-c", "cat /topfile; ls /hidden; echo new > /newfile; rm /gone; ls /gone");
    Result r = run(spec);

    r.assertExit(1); // the last ls fails
    assertEquals("from-top", r.stdout.strip());
    assertEquals("new\n", Files.readString(upper.resolve("newfile")));
    assertTrue(isWhiteout(upper.resolve("gone")), "rm left a whiteout in upper");
    assertTrue(Files.exists(rootfs.resolve("gone")), "the lower layer is untouched");
    try (Stream<Path> s = Files.list(ov.resolve("merged"))) {
      assertEquals(0, s.count(), "the overlay was only mounted in the container");
    }
  }

  /** CVE-2021-30465: a mount destination through a symlink resolves inside the rootfs. */
  @Test
  void mountDestination_throughAbsoluteSymlink_staysInsideRootfs() throws Exception {
    Path hostTarget = Files.createDirectories(dir.resolve("host-target"));
    Files.createDirectories(rootfs.resolve(dir.toString().substring(1)).resolve("host-target"));
    Files.createSymbolicLink(rootfs.resolve("escape"), hostTarget);

    Result r =
        run(
            baseSpec()
                .add("mount=/escape/inner|tmpfs|tmpfs|size=1m")
                .args("sh", "-c", "touch /escape/inner/x && echo ok"));

    r.assertExit(0);
    assertEquals("ok", r.stdout.strip());
    try (Stream<Path> s = Files.list(hostTarget)) {
      assertEquals(0, s.count(), "nothing was created on the host side of the symlink");
    }
  }

  @Test
  void readonlyRoot_withWritableBindAndTmpfs() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Result r =
        run(
            baseSpec()
                .add("readonly=1")
                .add("mount=/data|bind|" + data + "|rbind,nosuid")
                .add("mount=/tmp|tmpfs|tmpfs|nosuid,nodev,mode=1777,size=1m")
                .args(
                    "sh",
                    "-c",
                    "touch /rootfile || echo ro-root; echo hi > /data/f; touch /tmp/t && echo"
                        + " tmp-ok; grep ' /data ' /proc/mounts"));

    r.assertExit(0);
    assertTrue(r.stdout.startsWith("ro-root\ntmp-ok\n"), r.stdout);
    assertTrue(r.stdout.contains("nosuid"), r.stdout);
    assertEquals("hi\n", Files.readString(data.resolve("f")));
    assertFalse(Files.exists(rootfs.resolve("rootfile")));
  }

  // --- process settings ------------------------------------------------------------------

  @Test
  void rlimits_lowered_andRaisingHardPastHostClampedWithWarning() throws Exception {
    long hostHard = hardNofile();
    Result r =
        run(
            baseSpec()
                .add("rlimit=RLIMIT_NOFILE:1024:" + (hostHard + 1))
                .add("rlimit=RLIMIT_NPROC:500:600")
                .args("sh", "-c", "grep -E 'open files|processes' /proc/self/limits"));

    r.assertExit(0);
    assertTrue(r.stdout.matches("(?s).*Max processes\\s+500\\s+600.*"), r.stdout);
    if (hasCapSysResource()) {
      assertTrue(r.stdout.matches("(?s).*Max open files\\s+1024\\s+" + (hostHard + 1) + ".*"));
    } else {
      assertTrue(r.stdout.matches("(?s).*Max open files\\s+1024\\s+" + hostHard + ".*"), r.stdout);
      assertTrue(
          r.report.stream().anyMatch(l -> l.startsWith("warning rlimit RLIMIT_NOFILE")),
          r.report.toString());
    }
  }

  @Test
  void user_uidGidAndGroups_applied_capsNotEffectiveForNonRoot() throws Exception {
    Result r =
        run(
            baseSpec()
                .add("uid=1000")
                .add("gid=1000")
                .add("group=5")
                .add("group=20")
                .add("cwd=/tmp")
                .args("sh", "-c", "id; pwd; grep CapEff /proc/self/status"));

    r.assertExit(0);
    assertEquals(
        List.of("uid=1000 gid=1000 groups=5,20", "/tmp", "CapEff:\t0000000000000000"),
        r.stdoutLines());
  }

  @Test
  void cgroup_joinedBeforeClone_namespaceRootIsTheContainersCgroup() throws Exception {
    Path pids = Paths.get("/sys/fs/cgroup/pids");
    assumeTrue(Files.isDirectory(pids), "needs the cgroup v1 pids hierarchy");
    Path cg = Files.createDirectory(pids.resolve("minke-it-" + marker.substring(0, 8)));
    try {
      Files.writeString(cg.resolve("pids.max"), "20");
      Result r =
          run(
              baseSpec()
                  .add("ns=cgroup")
                  .add("cgroup=" + cg.resolve("cgroup.procs"))
                  .args("grep", "pids", "/proc/self/cgroup"));

      r.assertExit(0);
      assertTrue(r.stdout.contains(":pids:/\n"), r.stdout);
    } finally {
      Files.delete(cg);
    }
  }

  @Test
  void userNamespace_unprivilegedUser_isRootInside() throws Exception {
    assumeTrue(userNamespacesAllowed(), "unprivileged user namespaces are disabled");
    assumeTrue(Files.isExecutable(Paths.get("/usr/bin/setpriv")), "needs setpriv");
    String user = "minkeit" + marker.substring(0, 6);
    exec("useradd", "-M", "-s", "/bin/sh", user);
    try {
      int uid = Integer.parseInt(execOutput("id", "-u", user).strip());
      int gid = Integer.parseInt(execOutput("id", "-g", user).strip());
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path copy = Files.copy(binary, dir.resolve("minke-init"));
      Spec spec =
          baseSpec()
              .add("ns=user")
              .add("uidmap=0 " + uid + " 1")
              .add("gidmap=0 " + gid + " 1")
              .add("hostname=rootless")
              .args("sh", "-c", "id; hostname; cat /proc/self/uid_map; ls -l /dev/null");
      List<String> asUser =
          List.of("setpriv", "--reuid", "" + uid, "--regid", "" + gid, "--clear-groups");

      Result r = run(spec, copy, asUser);

      r.assertExit(0);
      List<String> lines = r.stdoutLines();
      assertEquals("uid=0 gid=0", lines.get(0)); // setgroups is denied: no groups
      assertEquals("rootless", lines.get(1));
      assertEquals(List.of("0", "" + uid, "1"), Arrays.asList(lines.get(2).trim().split("\\s+")));
      assertTrue(lines.get(3).startsWith("crw-rw-rw-"), lines.get(3));
    } finally {
      exec("userdel", user);
    }
  }

  // --- invocation ----------------------------------------------------------------------

  /** `--spec FILE --report FILE`: minke-init opens them itself, no shell in between. */
  @Test
  void specAndReportArguments_workLikeFds3And4() throws Exception {
    Path specFile = Files.write(dir.resolve("args.spec"), baseSpec().args("sh", "-c", "ls /proc/self/fd; cat /proc/self/status").bytes());
    Path report = Files.writeString(dir.resolve("args.report"), "stale text that must go\n".repeat(10));
    Result r = runDirect(List.of("--spec", specFile.toString(), "--report", report.toString()));

    r.assertExit(0);
    assertEquals("2", r.statusField("Seccomp"));
    // Only stdio reaches the command (3 is ls's own directory fd): the spec and report fds do not.
    List<String> fds = r.stdoutLines().stream().takeWhile(l -> !l.startsWith("Name:")).collect(Collectors.toList());
    assertTrue(fds.containsAll(List.of("0", "1", "2")) && List.of("0", "1", "2", "3").containsAll(fds), fds.toString());
    assertEquals(1, r.report.size(), r.report.toString());
    assertTrue(r.report.get(0).matches("pid \\d+"), r.report.toString());
  }

  @Test
  void specArgument_missingFile_isReportedAsSpecError() throws Exception {
    Path report = dir.resolve("missing.report");
    Result r = runDirect(List.of("--spec", dir.resolve("nope").toString(), "--report", report.toString()));

    r.assertExit(125);
    assertEquals(1, r.report.size(), r.report.toString());
    assertTrue(r.report.get(0).startsWith("error spec 2 open the spec `"), r.report.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"--verbose;unknown argument", "--spec x;both --spec and --report are needed",
      "--spec x --spec y --report z;an option is given twice", "--report;an option needs a file"})
  void badArguments_exit125_withUsage(String args, String message) throws Exception {
    Result r = runDirect(List.of(args.split(" ")).stream().map(a -> a.startsWith("-") ? a : dir.resolve(a).toString())
        .collect(Collectors.toList()));

    r.assertExit(125);
    assertTrue(r.stderr.contains("minke-init: " + message) && r.stderr.contains("usage: minke-init --spec"),
        r.stderr);
  }

  /** minke-init started with ARGS and no shell; the report is read from the --report file, if any. */
  Result runDirect(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toAbsolutePath().toString()));
    command.addAll(args);
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path out = dir.resolve("out-" + id);
    Path err = dir.resolve("err-" + id);
    Process p = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    started.add(p);
    int i = args.indexOf("--report");
    Path report = i >= 0 && i + 1 < args.size() ? Paths.get(args.get(i + 1)) : dir.resolve("no-report-" + id);
    Running running = new Running(p, report, out, err);
    int exit = running.awaitExit();
    List<String> lines = Files.exists(report) ? Files.readAllLines(report) : List.of();
    return new Result(exit, Files.readString(out), Files.readString(err), lines);
  }

  // --- fixtures --------------------------------------------------------------------------

  static Path findBinary() {
    Path nativeDir = Paths.get("target/classes/dev/minke/runtime/native");
    Path bin = nativeDir.resolve("minke-init-" + unameMachine());
    return Files.isExecutable(bin) ? bin : null;
  }

  static String unameMachine() {
    String arch = System.getProperty("os.arch");
    return arch.equals("amd64") ? "x86_64" : arch;
  }

  static Path makeBusyboxRootfs(Path root) throws IOException {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(Paths.get("/bin/busybox"), bin.resolve("busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Paths.get("busybox"));
    }
    for (String d : List.of("proc", "dev", "sys", "tmp", "etc")) {
      Files.createDirectories(root.resolve(d));
    }
    return root;
  }

  Spec baseSpec() {
    Spec s = new Spec().add("rootfs=" + rootfs);
    for (String ns : List.of("mount", "pid", "uts", "ipc", "net")) {
      s.add("ns=" + ns);
    }
    s.add("env=PATH=/bin").add("env=MINKE_IT_MARKER=" + marker);
    DOCKER_CAPS.forEach(c -> s.add("cap=" + c));
    DOCKER_MASKS.forEach(m -> s.add("mask=" + m));
    DOCKER_READONLY.forEach(p -> s.add("readonly_path=" + p));
    return s.add("no_new_privs=1").add("seccomp=default");
  }

  Spec baseSpecWithout(String prefix) {
    Spec s = baseSpec();
    s.records.removeIf(r -> r.startsWith(prefix));
    return s;
  }

  /** The init spec: NUL-terminated key=value records. */
  static final class Spec {
    final List<String> records = new ArrayList<>();

    Spec add(String record) {
      records.add(record);
      return this;
    }

    Spec args(String... argv) {
      for (String a : argv) {
        records.add("arg=" + a);
      }
      return this;
    }

    byte[] bytes() {
      StringBuilder b = new StringBuilder();
      records.forEach(r -> b.append(r).append('\0'));
      return b.toString().getBytes(UTF_8);
    }
  }

  final class Running {
    final Process process;
    final Path report;
    final Path out;
    final Path err;

    Running(Process process, Path report, Path out, Path err) {
      this.process = process;
      this.report = report;
      this.out = out;
      this.err = err;
    }

    long awaitPid() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        for (String line : Files.readAllLines(report)) {
          if (line.startsWith("pid ")) {
            return Long.parseLong(line.substring(4));
          }
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no pid line; report: " + Files.readString(report));
    }

    int awaitExit() throws Exception {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("minke-init did not end within 30 s");
      }
      return process.exitValue();
    }

    Result result() throws Exception {
      int exit = awaitExit();
      return new Result(
          exit, Files.readString(out), Files.readString(err), Files.readAllLines(report));
    }
  }

  static final class Result {
    final int exit;
    final String stdout;
    final String stderr;
    final List<String> report;

    Result(int exit, String stdout, String stderr, List<String> report) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
      this.report = report;
    }

    void assertExit(int expected) {
      assertEquals(expected, exit, "stdout:\n" + stdout + "stderr:\n" + stderr + "report:\n" + report);
    }

    List<String> stdoutLines() {
      return stdout.lines().collect(Collectors.toList());
    }

    String statusField(String name) {
      return stdout
          .lines()
          .filter(l -> l.startsWith(name + ":"))
          .map(l -> l.substring(name.length() + 1).strip())
          .findFirst()
          .orElseThrow(() -> new AssertionError(name + " not in " + stdout));
    }
  }

  Result run(Spec spec) throws Exception {
    return run(spec, binary, List.of());
  }

  Result run(Spec spec, Path bin, List<String> prefix) throws Exception {
    return start(spec, bin, prefix).result();
  }

  Running start(Spec spec) throws Exception {
    return start(spec, binary, List.of());
  }

  /** fd 3 and 4 through the shell, which then execs minke-init: its pid is the Process's. */
  Running start(Spec spec, Path bin, List<String> prefix) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path specFile = Files.write(dir.resolve("spec-" + id), spec.bytes());
    Path report = Files.createFile(dir.resolve("report-" + id));
    Files.setPosixFilePermissions(specFile, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-rw-rw-"));
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            "sh",
            "-c",
            "exec \"$0\" 3<\"$1\" 4>\"$2\"",
            bin.toAbsolutePath().toString(),
            specFile.toString(),
            report.toString()));
    Path out = dir.resolve("out-" + id);
    Path err = dir.resolve("err-" + id);
    Process p =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    started.add(p);
    return new Running(p, report, out, err);
  }

  /** Container processes carry the marker in their environment; zombies have none. */
  void waitUntilNoContainerProcess() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<Long> left = containerProcesses();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      left = containerProcesses();
    }
    for (long pid : left) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    assertEquals(List.of(), left, "container processes left");
  }

  List<Long> containerProcesses() throws IOException {
    byte[] needle = ("MINKE_IT_MARKER=" + marker).getBytes(UTF_8);
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (indexOf(Files.readAllBytes(p.resolve("environ")), needle) >= 0) {
            found.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return found;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Dead means gone or a zombie: the reaper of an orphan may be slow to collect it. */
  static boolean awaitDead(long pid) throws InterruptedException {
    Path status = Paths.get("/proc/" + pid + "/status");
    for (int i = 0; i < 100; i++) {
      try {
        if (Files.readAllLines(status).stream()
            .anyMatch(l -> l.startsWith("State:") && (l.contains("Z") || l.contains("X")))) {
          return true;
        }
      } catch (IOException gone) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** An overlay whiteout: a character device 0/0. */
  static boolean isWhiteout(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    long rdev = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    return (mode & 0170000) == 0020000 && rdev == 0;
  }

  static long hardNofile() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        return Long.parseLong(line.trim().split("\\s+")[4]);
      }
    }
    throw new AssertionError("no Max open files in /proc/self/limits");
  }

  static boolean hasCapSysResource() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("CapBnd:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
      }
    }
    return false;
  }

  static boolean userNamespacesAllowed() throws IOException {
    Path max = Paths.get("/proc/sys/user/max_user_namespaces");
    Path debian = Paths.get("/proc/sys/kernel/unprivileged_userns_clone");
    boolean maxOk = !Files.exists(max) || !Files.readString(max).strip().equals("0");
    boolean debianOk = !Files.exists(debian) || Files.readString(debian).strip().equals("1");
    return maxOk && debianOk;
  }

  static void exec(String... command) throws IOException, InterruptedException {
    execOutput(command);
  }

  static String execOutput(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }
}
