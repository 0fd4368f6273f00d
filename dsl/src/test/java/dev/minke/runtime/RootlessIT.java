package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.os.Posix;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rootless: the probes of {@link ContainerIsolationIT}, run by an unprivileged user that this
 * test creates ({@code useradd -M}) and removes again. {@link RootlessProbe} runs in a JVM of that
 * user ({@code runuser}), with its own store, and prints what its containers saw; the classes it
 * needs are copied where that user may read them.
 *
 * <p>Expected on this machine (cgroup v1, no delegation): the container runs in a user namespace
 * mapping the user to root, with Docker's capabilities inside it, no_new_privs, seccomp, masks,
 * and an overlay root (userxattr) the container may change; no cgroups, so Minke's default pids
 * limit is dropped with a warning and an explicit limit fails clearly; only root inside can be
 * used (the single-ID map has no other IDs), which also fails clearly.
 */
class RootlessIT {
  static String user;
  static long uid = -1;
  static Path dir;
  static Map<String, String> seen = new LinkedHashMap<>();
  static String transcript = "";

  @BeforeAll
  static void runTheProbesAsAnUnprivilegedUser() throws Exception {
    Assumptions.assumeTrue(Posix.isRoot(), "creating a user needs root");
    user = "minke-rootless-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    dir = Files.createTempDirectory("minke-rootless-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    exec(List.of("useradd", "-M", "-s", "/usr/sbin/nologin", user));
    uid = Long.parseLong(exec(List.of("id", "-u", user)).strip());

    String classPath = copyClassPath(dir.resolve("cp"));
    Path home = Files.createDirectory(dir.resolve("home"));
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    exec(List.of("chown", user + ":", home.toString(), tmp.toString()));
    Path sentinel = Files.writeString(dir.resolve("sentinel.txt"), "host secret");
    Files.setPosixFilePermissions(sentinel, PosixFilePermissions.fromString("rw-r--r--"));

    ProcessBuilder probe = new ProcessBuilder("runuser", "-u", user, "--",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:-UsePerfData", "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home, "-cp", classPath,
        RootlessProbe.class.getName(), home.resolve("store").toString(), sentinel.toString())
        .directory(dir.toFile()).redirectErrorStream(true);
    probe.environment().remove("MINKE_RUNTIME");
    probe.environment().remove("MINKE_HOME");
    Process process = probe.start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    transcript = new String(out, StandardCharsets.UTF_8);
    for (String line : transcript.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[a-z0-9]+(\\.[a-z]+)?")) {
        seen.put(line.substring(0, eq), line.substring(eq + 1).replace("\\n", "\n").replace("\\\\", "\\"));
      }
    }
  }

  @AfterAll
  static void removeTheUserAndEverythingItMade() throws Exception {
    if (user == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    try {
      if (uid >= 0) {
        List<Long> left = processesOf(uid);
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        if (!left.isEmpty()) {
          problems.add("processes of " + user + " were left: " + left);
        }
        List<String> files = filesOf(uid, List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm")));
        if (!files.isEmpty()) {
          problems.add("files of " + user + " outside the test directory: " + files);
        }
      }
      if (dir != null && Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString())) {
        problems.add("a mount under " + dir + " was left");
      }
    } finally {
      // userdel -r: exit 12 only says there was no home directory to remove (useradd -M).
      Process userdel = new ProcessBuilder("userdel", "-r", user).redirectErrorStream(true).start();
      String said = new String(userdel.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = userdel.waitFor();
      if (status != 0 && status != 12) {
        problems.add("userdel -r " + user + " exited " + status + ": " + said);
      }
      for (String file : List.of("/etc/subuid", "/etc/subgid")) {
        removeLinesOf(user, Path.of(file));
      }
      if (dir != null) {
        deleteTree(dir);
      }
    }
    for (String file : List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/subuid", "/etc/subgid")) {
      if (Files.exists(Path.of(file)) && Files.readString(Path.of(file)).contains(user + ":")) {
        problems.add(user + " is still in " + file);
      }
    }
    assertFalse(dir != null && Files.exists(dir), dir + " was not removed");
    assertEquals(List.of(), problems);
  }

  private String get(String key) {
    assertTrue(seen.containsKey(key), key + " missing from the probe's output:\n" + transcript);
    return seen.get(key);
  }

  @Test
  void theProbeRanAsTheUser_withMinkeInit() {
    assertEquals(Long.toString(uid), get("euid"));
    assertNotEquals("0", get("euid"));
    assertEquals("minke-init", get("runtime"));
  }

  @Test
  void pid1_andHostname_areTheContainers() {
    assertEquals("1", get("pid1.out").lines().findFirst().orElse(""), transcript);
    assertFalse(get("pid1.out").contains("java"));
    assertEquals("box\n", get("hostname.out"));
  }

  @Test
  void theUserNamespace_mapsTheUserToRoot() {
    List<String> maps = get("uidmap.out").lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
    assertEquals(List.of("0 " + uid + " 1", "0 " + uid + " 1"), maps); // uid_map, then gid_map (gid = uid)
    assertEquals("0\n0\n", get("id.out"));
  }

  @Test
  void capabilities_noNewPrivs_andSeccomp_areAsAsRoot() {
    String status = get("status.out");
    assertTrue(status.contains("CapEff:\t00000000a80425fb"), status);
    assertTrue(status.contains("CapBnd:\t00000000a80425fb"), status);
    assertTrue(status.contains("CapInh:\t0000000000000000"), status);
    assertTrue(status.contains("CapAmb:\t0000000000000000"), status);
    assertTrue(status.contains("NoNewPrivs:\t1"), status);
    assertTrue(status.contains("Seccomp:\t2"), status);
    assertTrue(get("seccomp.out").contains("Operation not permitted"), get("seccomp.out"));
  }

  @Test
  void maskedAndReadOnlyPaths() {
    assertEquals("0\n0\n", get("masked.out"));
    assertNotEquals("0", get("procsys.exit"));
    assertTrue(get("procsys.out").contains("Read-only file system"), get("procsys.out"));
  }

  @Test
  void theRootFilesystem_isTheImages_andTheContainerMayChangeIt() {
    String rootfs = get("rootfs.out");
    assertTrue(rootfs.startsWith("bin\ndev\netc\nhome\nproc\nroot\nsbin\nsys\ntmp\nusr\nvar\n"), rootfs);
    assertTrue(rootfs.contains("No such file or directory"), rootfs);
    assertFalse(rootfs.contains("host secret"), rootfs);
    assertTrue(rootfs.contains("root:x:0:0:root:/root:/bin/sh"), rootfs);
    assertEquals("written\n", get("write.out"));
    assertEquals("deleted\n", get("whiteout.out"), "a whiteout in a user namespace");
    assertEquals("2\nrecreated\n", get("opaque.out"), "an opaque directory (userxattr)");
  }

  @Test
  void exitCodes_areDockers() {
    assertEquals("3", get("exit3.exit"));
    assertEquals("127", get("missing.exit"));
    assertTrue(get("missing.out").contains("no-such-command"), get("missing.out"));
  }

  @Test
  void withoutCgroups_theDefaultPidsLimitIsDropped_withAWarning_andAskedForLimitsFailClearly() {
    if (Cgroups.detect().layout().kind() == CgroupLayout.Kind.V2) {
      return; // Delegation may give the user cgroups there; this machine is v1/hybrid.
    }
    assertTrue(transcript.contains("running without Minke's default pids limit (1024)"), transcript);
    assertTrue(get("pidslimit.error").contains("cannot limit pids"), get("pidslimit.error"));
    assertTrue(get("memory.error").contains("cannot limit memory"), get("memory.error"));
  }

  @Test
  void anotherUserInside_failsClearly() {
    assertTrue(get("user.error").contains("cannot run in a rootless container"), get("user.error"));
  }

  @Test
  void runc_saysItNeedsRoot() {
    assertTrue(get("runc.error").contains("needs root"), get("runc.error"));
  }

  @Test
  void noContainerIsLeftInTheStore() {
    assertEquals("0", get("containers.left"));
  }

  /** Copies the test's class path where the user may read it; returns it as a -cp value. */
  static String copyClassPath(Path target) throws IOException {
    Files.createDirectory(target);
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (Path entry : classPathEntries()) {
      if (!Files.exists(entry)) {
        continue;
      }
      Path copy = target.resolve("e" + n++ + (Files.isDirectory(entry) ? "" : ".jar"));
      if (Files.isDirectory(entry)) {
        try (Stream<Path> files = Files.walk(entry)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            Path to = copy.resolve(entry.relativize(file).toString());
            if (Files.isDirectory(file)) {
              Files.createDirectories(to);
            } else {
              Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
          }
        }
      } else {
        Files.copy(entry, copy);
      }
      entries.add(copy.toString());
    }
    try (Stream<Path> all = Files.walk(target)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
            Files.isDirectory(p) || Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** java.class.path, with a manifest-only jar (surefire's booter) replaced by its Class-Path. */
  static List<Path> classPathEntries() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(element).toAbsolutePath();
      if (element.endsWith(".jar") && Files.isRegularFile(path)) {
        try (JarFile jar = new JarFile(path.toFile())) {
          String classPath = jar.getManifest() == null ? null
              : jar.getManifest().getMainAttributes().getValue("Class-Path");
          if (classPath != null && jar.stream().noneMatch(e -> e.getName().endsWith(".class"))) {
            URI base = path.getParent().toUri();
            for (String url : classPath.trim().split("\\s+")) {
              out.add(Path.of(base.resolve(url)));
            }
            continue;
          }
        }
      }
      out.add(path);
    }
    return out;
  }

  static String exec(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = process.waitFor();
    if (status != 0) {
      throw new IOException(String.join(" ", command) + " exited " + status + ": " + out);
    }
    return out;
  }

  static List<Long> processesOf(long uid) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        if (!proc.getFileName().toString().matches("[0-9]+")) {
          continue;
        }
        try {
          for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("Uid:") && line.split("\\s+")[1].equals(Long.toString(uid))) {
              pids.add(Long.parseLong(proc.getFileName().toString()));
            }
          }
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
    }
    return pids;
  }

  static List<String> filesOf(long uid, List<Path> dirs) throws IOException {
    List<String> files = new ArrayList<>();
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(d)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
          if (((Number) owner).longValue() == uid) {
            files.add(p.toString());
          }
        }
      }
    }
    return files;
  }

  /** Removes {@code name:...} lines (subordinate ID ranges) if userdel left any. */
  static void removeLinesOf(String name, Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file);
    List<String> kept = lines.stream().filter(l -> !l.startsWith(name + ":")).toList();
    if (kept.size() != lines.size()) {
      Path tmp = file.resolveSibling(file.getFileName() + ".minke-tmp");
      Files.write(tmp, kept);
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
