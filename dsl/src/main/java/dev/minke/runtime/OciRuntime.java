package dev.minke.runtime;

import dev.minke.os.FileTrees;
import dev.minke.os.Interrupts;
import dev.minke.os.Posix;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The OCI runtime operations (opencontainers/runtime-spec runtime.md "Operations") on minke-init,
 * with runc's command-line semantics: {@link #create} sets the container up completely and leaves
 * its process waiting on a FIFO, {@link #start} lets it exec the program, {@link #state} works in
 * every state, {@link #kill} signals the container process, {@link #delete} removes a stopped
 * container and its cgroup.
 *
 * <p>Each container is a directory under the state root ({@link OciStateDir}). Its monitor is
 * {@code sh -c 'minke-init 3<SPEC 4>REPORT; echo $? >exit-status'} in a session of its own:
 * it outlives the JVM that ran {@code create}, and the shell records the exit status that
 * {@code state} shows once the container has stopped.
 */
public final class OciRuntime {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final String MONITOR_SCRIPT = "\"$0\" 3<\"$1\" 4>\"$2\"; echo $? >\"$3\"";

  private final Path root;
  private final Path initBinary;

  public OciRuntime(Path root, Path initBinary) {
    this.root = root.toAbsolutePath().normalize();
    this.initBinary = initBinary;
  }

  /** The runtime at {@code root} with the minke-init of this build (copied into the store's bin/). */
  public static OciRuntime at(Path root) {
    Path binary = MinkeInitBinary.locate(Store.defaultHome().resolve("bin"))
        .orElseThrow(() -> new NoRuntimeException("this build of Minke has no minke-init"));
    return new OciRuntime(root, binary);
  }

  /** {@code /run/minke} for root, else {@code $XDG_RUNTIME_DIR/minke}, as runc picks its root. */
  public static Path defaultRoot() {
    String xdg = System.getenv("XDG_RUNTIME_DIR");
    if (Posix.isRoot() || xdg == null || xdg.isEmpty()) {
      return Path.of("/run/minke");
    }
    return Path.of(xdg, "minke");
  }

  public Path root() {
    return root;
  }

  /**
   * Creates container {@code id} from the bundle: namespaces, mounts, pivot_root, capabilities
   * and the rest are done when this returns, and the process waits for {@link #start}. Its stdio
   * are this process's (runc's "pass-through" mode).
   *
   * @param pidFile where to write the container process's PID, or null
   * @throws OciBundleException when the bundle asks for what minke-init cannot do
   * @throws OciContainerStateException when the ID is taken
   * @throws ContainerStartException when minke-init failed, naming the step
   */
  public OciContainerState create(String id, Path bundle, Path pidFile) throws IOException, InterruptedException {
    checkId(id);
    return create(id, OciBundleSpec.load(bundle), pidFile);
  }

  /** {@link #create(String, Path, Path)} for a bundle read already. */
  public OciContainerState create(String id, OciBundleSpec spec, Path pidFile)
      throws IOException, InterruptedException {
    checkId(id);
    OciStateDir dir = new OciStateDir(root, id);
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
    }
    try {
      Files.createDirectory(dir.dir());
    } catch (FileAlreadyExistsException e) {
      throw OciContainerStateException.exists(id, root);
    }
    // 0711: a container root mapped to another uid must still reach the FIFO.
    Files.setPosixFilePermissions(dir.dir(), PosixFilePermissions.fromString("rwx--x--x"));
    CgroupHandle cgroup = null;
    Process monitor = null;
    try {
      Posix.mknod(dir.fifo(), Posix.NodeType.FIFO, 0622, 0, 0);
      Files.setPosixFilePermissions(dir.fifo(), PosixFilePermissions.fromString("rw--w--w-"));
      cgroup = Cgroups.detect().create(id, spec.spec().linux().resources());
      // The spec holds the environment, which may hold secrets: owner only, removed once read.
      Files.createFile(dir.spec(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(dir.spec(), spec.initRecords(dir.fifo(), cgroup.procsFiles(), cgroup.deviceFilterDir()));
      monitor = monitor(dir).start();
      ContainerProcess process = new ContainerProcess(monitor, dir.report(), "minke-init");
      Optional<Long> pid = process.containerPid();
      if (pid.isEmpty()) {
        String error = process.setupError().orElse("? 0 minke-init ended without a report");
        String[] parts = error.split(" ", 3);
        throw new ContainerStartException(id, parts[0], parts.length > 2 ? parts[2] : error);
      }
      Files.deleteIfExists(dir.spec());
      OciState state = new OciState(RuntimeSpec.OCI_VERSION, id, spec.bundle().toString(), spec.rootfs().toString(),
          Instant.now().toString(), spec.annotations(), monitor.pid(),
          OciStateDir.startTime(monitor.pid()).orElse(0), pid.get(),
          OciStateDir.startTime(pid.get()).orElse(0), cgroupDirs(cgroup));
      dir.write(state);
      if (pidFile != null) {
        writePidFile(pidFile, pid.get());
      }
      return state(dir, state);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (monitor != null) {
        // minke-init first (the container dies with it), then the wrapper shell.
        monitor.descendants().forEach(ProcessHandle::destroyForcibly);
        monitor.destroyForcibly();
        Interrupts.awaitExit(monitor, java.time.Duration.ofSeconds(10)); // also when interrupted
      }
      if (cgroup != null) {
        Interrupts.cleanUp(cgroup::close);
      }
      FileTrees.delete(dir.dir());
      throw e;
    }
  }

  /**
   * Lets the created container exec its program.
   *
   * @throws OciContainerStateException when it is not {@code created}
   */
  public OciContainerState start(String id) throws IOException, InterruptedException {
    OciStateDir dir = existing(id);
    OciState state = read(dir, id);
    OciContainerState.Status status = dir.status(state);
    if (status != OciContainerState.Status.CREATED) {
      throw new OciContainerStateException(id, status.label(), "container \"" + id + "\" is " + status.label()
          + ", not created: start runs a created container's program once",
          "`minke runtime create` a new container to run it again");
    }
    boolean released = OciStartFifo.release(dir.fifo(), () -> OciStateDir.alive(state.pid(), state.pidStartTime()));
    Files.deleteIfExists(dir.fifo());
    Optional<String> error = dir.reportError();
    if (!released || error.isPresent()) {
      String[] parts = error.orElse("start 0 the container process ended before start").split(" ", 3);
      throw new ContainerStartException(id, parts[0], parts.length > 2 ? parts[2] : parts[0]);
    }
    return state(dir, state);
  }

  /** The runtime-spec state of container {@code id}, in any status. */
  public OciContainerState state(String id) throws IOException {
    OciStateDir dir = existing(id);
    return state(dir, read(dir, id));
  }

  /**
   * Sends {@code signal} to the container process.
   *
   * @throws OciContainerStateException when the container has stopped
   */
  public void kill(String id, int signal) throws IOException {
    OciStateDir dir = existing(id);
    OciState state = read(dir, id);
    if (dir.status(state) == OciContainerState.Status.STOPPED) {
      throw new OciContainerStateException(id, "stopped", "container \"" + id + "\" is stopped: nothing to signal",
          "`minke runtime delete " + id + "` removes it");
    }
    Signals.send(state.pid(), signal);
  }

  /**
   * Removes a stopped container: its cgroup and its state directory. With {@code force} a
   * created or running container is killed (SIGKILL) first; without, it is an error, and
   * nothing changes.
   */
  public void delete(String id, boolean force) throws IOException, InterruptedException {
    OciStateDir dir = existing(id);
    Optional<OciState> maybe = dir.read();
    if (maybe.isEmpty() && !force) {
      throw new OciContainerStateException(id, "creating", "container \"" + id + "\" is still being created"
          + " (no state.json in " + dir.dir() + ")", "wait for create to end, or use delete --force");
    }
    if (maybe.isPresent()) {
      OciState state = maybe.get();
      OciContainerState.Status status = dir.status(state);
      if (status != OciContainerState.Status.STOPPED) {
        if (!force) {
          throw new OciContainerStateException(id, status.label(), "container \"" + id + "\" is " + status.label()
              + ": only a stopped container can be deleted",
              "stop it with `minke runtime kill " + id + " KILL`, or use `minke runtime delete --force " + id + "`");
        }
        Signals.send(state.pid(), Signals.SIGKILL);
      }
      awaitGone(state.pid(), state.pidStartTime());
      // The monitor reaps the container and records its exit status; then it ends too.
      awaitGone(state.monitorPid(), state.monitorStartTime());
      OciCgroupDirs.remove(state.cgroupDirs().stream().map(Path::of).toList());
    }
    FileTrees.delete(dir.dir());
  }

  private OciContainerState state(OciStateDir dir, OciState state) {
    OciContainerState.Status status = dir.status(state);
    boolean stopped = status == OciContainerState.Status.STOPPED;
    return new OciContainerState(state.ociVersion(), state.id(), status, stopped ? 0 : state.pid(), state.bundle(),
        state.rootfs(), state.created(), state.annotations(), stopped ? dir.exitStatus().orElse(null) : null);
  }

  private ProcessBuilder monitor(OciStateDir dir) {
    List<String> command = new ArrayList<>();
    // Its own session: a ^C or hangup meant for the caller's terminal does not reach it.
    Runtimes.findOnPath("setsid").ifPresent(setsid -> command.add(setsid.toString()));
    command.addAll(List.of("/bin/sh", "-c", MONITOR_SCRIPT, initBinary.toString(), dir.spec().toString(),
        dir.report().toString(), dir.exitFile().toString()));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().clear(); // The container's environment comes from the spec alone.
    return builder;
  }

  private OciStateDir existing(String id) {
    checkId(id);
    OciStateDir dir = new OciStateDir(root, id);
    if (!dir.exists()) {
      throw OciContainerStateException.notFound(id, root);
    }
    return dir;
  }

  private OciState read(OciStateDir dir, String id) throws IOException {
    return dir.read().orElseThrow(() -> new OciContainerStateException(id, "creating",
        "container \"" + id + "\" is still being created (no state.json yet)", "try again in a moment"));
  }

  private static List<String> cgroupDirs(CgroupHandle cgroup) {
    return cgroup.procsFiles().stream().map(p -> p.getParent().toString()).toList();
  }

  private static void writePidFile(Path pidFile, long pid) throws IOException {
    Path target = pidFile.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), ".pid", ".tmp");
    Files.writeString(tmp, Long.toString(pid));
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void awaitGone(long pid, long startTime) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (OciStateDir.alive(pid, startTime) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static void checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new OciContainerStateException(String.valueOf(id), OciContainerStateException.ABSENT,
          "invalid container ID \"" + id + "\"", "use 1 to 128 of [A-Za-z0-9_.-], starting with a letter or digit");
    }
  }
}
