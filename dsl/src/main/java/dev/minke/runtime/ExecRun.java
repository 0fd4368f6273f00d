package dev.minke.runtime;

import dev.minke.image.Json;
import dev.minke.os.Interrupts;
import dev.minke.store.StoreIOException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one more process in a running container, attached ({@code docker exec}): it enters the
 * container's namespaces and cgroups and runs with the container's capabilities, no_new_privs,
 * seccomp filter and rlimits. It uses the backend that started the container.
 *
 * <p>Interruptible: an interrupt of the calling thread stops the exec'd process (SIGTERM, then
 * SIGKILL to it and its descendants after {@link ProcessStop#RUN_GRACE}; the container keeps
 * running), joins the output threads and throws {@link RunInterruptedException} with the
 * interrupt status set again.
 */
final class ExecRun {
  private static final java.time.Duration PUMP_WAIT = java.time.Duration.ofSeconds(5);
  private final Path storeHome;
  private final ContainerStore records;

  ExecRun(Path storeHome, ContainerStore records) {
    this.storeHome = storeHome;
    this.records = records;
  }

  RunResult run(String idOrName, ExecOptions options, OutputListener listener) {
    ContainerRecord record = records.get(idOrName);
    requireRunning(record);
    Path dir = records.dir(record.id());
    RuntimeSpec.Process process = options.applyTo(readSpec(dir).process(), () -> accounts(record.containerPid()));
    RuntimeBackend backend = backendFor(record);
    List<Path> cgroups = backend.managesCgroups() ? List.of() : TargetCgroups.procsFiles(record.containerPid());
    ExecLaunch launch = new ExecLaunch(record.id(), UUID.randomUUID().toString().substring(0, 12), dir,
        record.containerPid(), process, cgroups, ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
    long started = System.nanoTime();
    try {
      return attach(record, backend.exec(launch), process.args(), listener, started);
    } catch (IOException e) {
      throw new ContainerExecException(record.name(), "exec", e.getMessage());
    } catch (RunInterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    } finally {
      deleteFiles(dir, "exec-" + launch.execId() + ".*");
    }
  }

  private static RunResult attach(ContainerRecord record, ContainerProcess process, List<String> command,
      OutputListener listener, long started) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread outPump = OutputPumps.start(process.stdout(), out, listener::stdout, "minke-exec-stdout");
    Thread errPump = OutputPumps.start(process.stderr(), err, listener::stderr, "minke-exec-stderr");
    int exitCode;
    try {
      exitCode = process.waitFor();
      outPump.join();
      errPump.join();
    } catch (InterruptedException e) {
      ProcessStop.exec(process, ProcessStop.RUN_GRACE);
      Interrupts.awaitEnd(outPump, PUMP_WAIT);
      Interrupts.awaitEnd(errPump, PUMP_WAIT);
      throw new RunInterruptedException(record.name(), String.join(" ", command), false);
    }
    Optional<String> failure = process.setupError();
    if (failure.isPresent()) {
      String[] parts = failure.get().split(" ", 3);
      if (exitCode == 125) {
        throw new ContainerExecException(record.name(), parts[0], parts.length > 2 ? parts[2] : failure.get());
      }
      err.writeBytes(((parts.length > 2 ? parts[2] : failure.get()) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new RunResult(record.id(), exitCode, out.toByteArray(), err.toByteArray(), false,
        (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Running means: the record says so, has the container's PID, and that PID is alive and a
   * descendant of the recorded monitor (a recycled PID is not the container).
   */
  private static void requireRunning(ContainerRecord record) {
    if (record.state() != ContainerRecord.State.RUNNING) {
      throw new ContainerNotRunningException(record.name(), "it is " + record.state().name().toLowerCase());
    }
    if (record.containerPid() <= 0) {
      throw new ContainerNotRunningException(record.name(), "its process has not started yet");
    }
    if (!descendsFrom(record.containerPid(), record.monitorPid())) {
      throw new ContainerNotRunningException(record.name(),
          "its process " + record.containerPid() + " is gone (the record is stale)");
    }
  }

  private static boolean descendsFrom(long pid, long ancestor) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    for (int depth = 0; depth < 3 && handle.isPresent(); depth++) {
      handle = handle.get().parent();
      if (handle.isPresent() && handle.get().pid() == ancestor) {
        return true;
      }
    }
    return false;
  }

  /** The backend that started the container: an exec must go through the same runtime. */
  private RuntimeBackend backendFor(ContainerRecord record) {
    String name = record.backend() == null ? "" : record.backend();
    Optional<RuntimeBackend> backend = switch (name) {
      case "minke-init" -> MinkeInitBinary.locate(storeHome.resolve("bin")).map(MinkeInitBackend::new);
      case "runc", "crun" -> Runtimes.findOnPath(name).map(OciCliBackend::new);
      default -> Optional.empty();
    };
    return backend.orElseThrow(() -> new NoRuntimeException(
        "container " + record.name() + " was started by \"" + name + "\", which is not available now"));
  }

  /** The container's own /etc/passwd and /etc/group, read through its PID 1's root. */
  private static ImageAccounts accounts(long containerPid) {
    Path etc = Path.of("/proc/" + containerPid + "/root/etc");
    return new ImageAccounts(readPlain(etc.resolve("passwd")), readPlain(etc.resolve("group")));
  }

  // A symlink would resolve against the host's root, not the container's: it is not read.
  private static String readPlain(Path file) {
    try {
      if (Files.isSymbolicLink(file.getParent()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return "";
      }
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static RuntimeSpec readSpec(Path dir) {
    try {
      return Json.read(Files.readAllBytes(dir.resolve("config.json")), RuntimeSpec.class);
    } catch (IOException e) {
      throw new StoreIOException("reading the bundle of", dir, e);
    }
  }

  private static void deleteFiles(Path dir, String glob) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // Leftover exec files are small and go with the container.
    }
  }
}
