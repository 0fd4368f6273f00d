package dev.minke.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import dev.minke.os.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the same bundle with an installed OCI runtime ({@code runc} or {@code crun}), as a
 * cross-check of minke-init and an alternative to it. Java mounts the overlay root filesystem
 * on the bundle's {@code rootfs} (these runtimes expect a ready directory) and a shell around the
 * runtime unmounts it when the container ends; the runtime makes the cgroups from
 * {@code linux.cgroupsPath} and removes them.
 *
 * <p>What differs from minke-init, and is made the same here: the runtime's own errors go to
 * its log file ({@code --log}, JSON), not only to the container's stderr, and are turned into
 * minke-init's report lines and Docker's exit codes (127 command not found, 126 not executable,
 * 125 anything else); rlimits above this process's hard limits are clamped with a warning, as
 * minke-init does, since no process can raise a hard limit without CAP_SYS_RESOURCE.
 */
final class OciCliBackend implements RuntimeBackend {
  private final Path program;

  OciCliBackend(Path program) {
    this.program = program;
  }

  @Override
  public String name() {
    return program.getFileName().toString();
  }

  @Override
  public boolean managesCgroups() {
    return true;
  }

  @Override
  public ContainerProcess start(ContainerLaunch launch) throws IOException {
    if (!Posix.isRoot()) {
      throw new IOException("the " + name() + " backend needs root: Minke mounts its overlay root filesystem "
          + "before " + name() + " starts, and only root may; rootless containers run with minke-init "
          + "(unset MINKE_RUNTIME)");
    }
    Path bundle = launch.containerDir();
    Path rootfs = bundle.resolve("rootfs");
    Path pidFile = bundle.resolve(name() + ".pid");
    Path log = bundle.resolve(name() + ".log");
    Path report = bundle.resolve(name() + ".report");
    for (Path stale : List.of(pidFile, log, report)) {
      Files.deleteIfExists(stale);
    }
    List<String> warnings = new ArrayList<>();
    RuntimeSpec spec = withRlimitsClamped(launch.spec(), hardLimits(), warnings);
    Files.write(bundle.resolve("config.json"), Json.bytes(spec));
    StringBuilder reportText = new StringBuilder();
    warnings.forEach(w -> reportText.append("warning ").append(w).append('\n'));
    Files.writeString(report, reportText);
    mountOverlay(launch.rootfs(), rootfs);
    List<String> command = new ArrayList<>(List.of(program.toString(), "--root", stateDir(bundle).toString(),
        "--log", log.toString(), "--log-format", "json",
        "run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), launch.id()));
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
        "\"$@\"; status=$?; umount \"" + rootfs + "\"; exit $status", "sh")
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    builder.command().addAll(command);
    try {
      return new ContainerProcess(builder.start(), List.of(pidFile, report), name(),
          status -> exitCode(status, log, report));
    } catch (IOException e) {
      umount(rootfs);
      throw e;
    }
  }

  /**
   * {@code runc exec}: the runtime enters the container (namespaces, cgroups, its seccomp
   * filter) and runs the process described in a {@code process.json}.
   */
  @Override
  public ContainerProcess exec(ExecLaunch launch) throws IOException {
    Path processFile = launch.file(".json");
    Path pidFile = launch.file(".pid");
    Files.write(processFile, Json.bytes(launch.process()));
    ProcessBuilder builder = new ProcessBuilder(program.toString(), "--root", stateDir(launch.containerDir()).toString(),
        "exec", "--process", processFile.toString(), "--pid-file", pidFile.toString(), launch.id())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    return new ContainerProcess(builder.start(), pidFile, name());
  }

  @Override
  public ContainerProcess startDetached(ContainerLaunch launch) throws IOException {
    Path bundle = launch.containerDir();
    Path rootfs = bundle.resolve("rootfs");
    Files.write(bundle.resolve("config.json"), Json.bytes(launch.spec()));
    mountOverlay(launch.rootfs(), rootfs);
    Path pidFile = bundle.resolve(name() + ".pid");
    Files.deleteIfExists(pidFile);
    List<String> runtime = List.of(program.toString(), "--root", stateDir(bundle).toString(),
        "run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), launch.id());
    // The wrapper unmounts what Java mounted once runc is done, as the attached form does.
    ProcessBuilder builder = new ProcessBuilder(DetachedMonitor.command(bundle, "exec \"$@\"", runtime,
        "umount \"" + rootfs + "\";"))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(launch.stdout())
        .redirectError(launch.stderr());
    try {
      return new ContainerProcess(builder.start(), pidFile, name());
    } catch (IOException e) {
      umount(rootfs);
      throw e;
    }
  }

  /**
   * Sends a signal to a container this runtime runs ({@code runc kill}); the way to SIGKILL it,
   * since runc itself cannot forward that one.
   */
  static void kill(String runtimeName, Path containerDir, String id, int signal) throws IOException {
    Path program = Runtimes.findOnPath(runtimeName)
        .orElseThrow(() -> new NoRuntimeException(runtimeName + " ran this container but is not on the PATH now"));
    run(containerDir, program.toString(), "--root", stateDir(containerDir).toString(), "kill", id,
        Integer.toString(signal));
  }

  /**
   * Cleans up after a container of this runtime whose wrapper did not (it was killed, or the
   * host restarted): {@code runc delete --force} and the root filesystem Java mounted.
   */
  static void cleanUp(String runtimeName, Path containerDir, String id) {
    Optional<Path> program = Runtimes.findOnPath(runtimeName);
    if (program.isPresent()) {
      try {
        run(containerDir, program.get().toString(), "--root", stateDir(containerDir).toString(), "delete",
            "--force", id);
      } catch (IOException e) {
        // Not known to the runtime any more: nothing to delete.
      }
    }
    Path rootfs = containerDir.resolve("rootfs");
    if (isMountPoint(rootfs)) {
      umount(rootfs);
    }
  }

  /** Whether something is mounted on {@code dir}: it is on another device than its parent. */
  static boolean isMountPoint(Path dir) {
    try {
      return !Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS)
          .equals(Files.getAttribute(dir.getParent(), "unix:dev", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return false;
    }
  }

  /** runc's and crun's state directory for Minke's containers, inside the store. */
  static Path stateDir(Path containerDir) {
    return containerDir.getParent().resolve(".oci-state");
  }

  /**
   * Docker's exit code for the runtime's exit status. The runtime exits with the container's
   * status, or with 1 when it failed itself, which only its log tells apart: then the error is
   * written to the report as minke-init would ({@code error STEP ERRNO MESSAGE}) and the code is
   * 127 (command not found), 126 (not executable) or 125 (the runtime failed).
   */
  static int exitCode(int status, Path log, Path report) {
    String error = runtimeError(log);
    if (error == null) {
      return status;
    }
    String lower = error.toLowerCase(Locale.ROOT);
    boolean exec = lower.contains("exec:") || lower.contains("exec failed")
        || lower.contains("starting container process");
    int code;
    String line;
    if (exec && (lower.contains("executable file not found") || lower.contains("no such file or directory"))) {
      code = 127;
      line = "exec 2 " + error;
    } else if (exec && (lower.contains("permission denied") || lower.contains("exec format error"))) {
      code = 126;
      line = "exec 13 " + error;
    } else {
      code = 125;
      line = "runtime 0 " + error;
    }
    try {
      Files.writeString(report, "error " + line.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The exit code still tells the caller what happened.
    }
    return code;
  }

  /** The last error the runtime logged (JSON lines with {@code "level":"error"}), or null. */
  static String runtimeError(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return "cannot read " + log + ": " + e.getMessage();
    }
    String error = null;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = Json.mapper().readTree(line);
        if ("error".equals(node.path("level").asText()) || "fatal".equals(node.path("level").asText())) {
          error = node.path("msg").asText();
        }
      } catch (IOException e) {
        if (line.contains("error")) {
          error = line.strip(); // Not JSON: keep the line as it is.
        }
      }
    }
    return error;
  }

  /** The spec with every rlimit's soft and hard value at most this process's hard limit. */
  static RuntimeSpec withRlimitsClamped(RuntimeSpec spec, Map<String, Long> hard, List<String> warnings) {
    RuntimeSpec.Process process = spec.process();
    if (process == null || process.rlimits().isEmpty()) {
      return spec;
    }
    List<RuntimeSpec.Rlimit> clamped = new ArrayList<>();
    for (RuntimeSpec.Rlimit r : process.rlimits()) {
      Long max = hard.get(r.type());
      if (max == null || Long.compareUnsigned(r.hard(), max) <= 0) {
        clamped.add(r);
        continue;
      }
      long soft = Long.compareUnsigned(r.soft(), max) <= 0 ? r.soft() : max;
      warnings.add("rlimit " + r.type() + " hard " + Long.toUnsignedString(r.hard()) + " clamped to "
          + max + ": this process cannot raise its hard limit (no CAP_SYS_RESOURCE)");
      clamped.add(new RuntimeSpec.Rlimit(r.type(), soft, max));
    }
    RuntimeSpec.Process p = new RuntimeSpec.Process(process.terminal(), process.user(), process.args(), process.env(),
        process.cwd(), process.capabilities(), clamped, process.noNewPrivileges());
    return new RuntimeSpec(spec.ociVersion(), p, spec.root(), spec.hostname(), spec.mounts(), spec.linux());
  }

  private static final Map<String, String> LIMIT_NAMES = Map.ofEntries(
      Map.entry("Max cpu time", "RLIMIT_CPU"), Map.entry("Max file size", "RLIMIT_FSIZE"),
      Map.entry("Max data size", "RLIMIT_DATA"), Map.entry("Max stack size", "RLIMIT_STACK"),
      Map.entry("Max core file size", "RLIMIT_CORE"), Map.entry("Max resident set", "RLIMIT_RSS"),
      Map.entry("Max processes", "RLIMIT_NPROC"), Map.entry("Max open files", "RLIMIT_NOFILE"),
      Map.entry("Max locked memory", "RLIMIT_MEMLOCK"), Map.entry("Max address space", "RLIMIT_AS"),
      Map.entry("Max file locks", "RLIMIT_LOCKS"), Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
      Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"), Map.entry("Max nice priority", "RLIMIT_NICE"),
      Map.entry("Max realtime priority", "RLIMIT_RTPRIO"), Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

  /** This process's hard limits by rlimit name, from {@code /proc/self/limits} (unlimited: absent). */
  static Map<String, Long> hardLimits() {
    try {
      return parseHardLimits(Files.readString(Path.of("/proc/self/limits")));
    } catch (IOException e) {
      return Map.of();
    }
  }

  static Map<String, Long> parseHardLimits(String text) {
    Map<String, Long> hard = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      for (Map.Entry<String, String> e : LIMIT_NAMES.entrySet()) {
        if (line.startsWith(e.getKey() + " ")) {
          String[] fields = line.substring(e.getKey().length()).trim().split("\\s+");
          if (fields.length >= 2 && fields[1].matches("[0-9]+")) {
            hard.put(e.getValue(), Long.parseLong(fields[1]));
          }
        }
      }
    }
    return hard;
  }

  private static void mountOverlay(RootfsPlan plan, Path target) throws IOException {
    run(plan.overlayDir(), "mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + String.join(":", plan.lowers()) + ",upperdir=" + plan.upper() + ",workdir=" + plan.work(),
        target.toString());
  }

  private static void umount(Path target) {
    try {
      run(target.getParent(), "umount", target.toString());
    } catch (IOException ignored) {
      // Reported by the leftover check; nothing else to do here.
    }
  }

  private static void run(Path dir, String... command) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
