package dev.minke.runtime;

import dev.minke.image.Json;
import dev.minke.os.Interrupts;
import dev.minke.store.StoreIOException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Starts a created container attached to the caller: output is streamed to a listener, kept for
 * the result and written to the container's logs; the container's cgroup is made before and
 * removed after, and the record follows the state.
 *
 * <p>Interruptible: an interrupt of the calling thread stops the container (SIGTERM to its PID 1,
 * SIGKILL to all of its processes after {@link ProcessStop#RUN_GRACE}), joins the output
 * threads, records the container EXITED, removes its cgroup and throws {@link
 * RunInterruptedException} with the interrupt status set again.
 */
final class AttachedRun {
  private static final java.time.Duration PUMP_WAIT = java.time.Duration.ofSeconds(5);
  private final ContainerStore records;
  private final RuntimeBackend backend;

  AttachedRun(ContainerStore records, RuntimeBackend backend) {
    this.records = records;
    this.backend = backend;
  }

  RunResult run(ContainerRecord record, RootfsPlan plan, OutputListener listener) {
    return run(record, plan, null, null, listener);
  }

  /**
   * As above; {@code knownSpec} is the container's {@code config.json} as its creator wrote it
   * and {@code cgroups} the layout just detected (either null: read it, detect them).
   */
  RunResult run(ContainerRecord record, RootfsPlan plan, RuntimeSpec knownSpec, Cgroups cgroups,
      OutputListener listener) {
    Path dir = records.dir(record.id());
    RuntimeSpec spec = knownSpec != null ? knownSpec : readSpec(dir);
    long started = System.nanoTime();
    try (CgroupHandle cgroup = backend.managesCgroups() ? new NoCgroup(record.id(), backend.name() + " makes its own cgroups")
        : (cgroups != null ? cgroups : Cgroups.detect()).create(record.id(), spec.linux().resources())) {
      ContainerLaunch launch = new ContainerLaunch(record.id(), dir, spec, plan, cgroup.procsFiles(),
          cgroup.deviceFilterDir(), ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
      ContainerProcess process = backend.start(launch);
      // RUNNING at once, so that any JVM (and this one after a crash) sees the monitor. The
      // container's PID follows in minke-init's report (`pid N`, which exec joins): readers of
      // the record take it from there (ContainerStore), so the record is not written again
      // for it. runc/crun's pid file is not read that way: for them it is saved once known.
      ContainerRecord running = record.running(process.monitorPid(), 0, 0, Instant.now().toString(), backend.name());
      records.save(running);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread outPump = pump(process.stdout(), out, dir.resolve("stdout.log"), listener::stdout);
      Thread errPump = pump(process.stderr(), err, dir.resolve("stderr.log"), listener::stderr);
      int exitCode;
      try {
        long containerPid = process.containerPid().orElse(0L);
        if (containerPid > 0) {
          running = running.running(running.monitorPid(), 0, containerPid, running.startedAt(), backend.name());
          if (!ContainerStore.pidFromReport(running)) {
            records.save(running);
          }
        }
        exitCode = process.waitFor();
        outPump.join();
        errPump.join();
      } catch (InterruptedException e) {
        throw stopInterrupted(record, running, process, cgroup, dir, spec.process().args(), List.of(outPump, errPump));
      }
      boolean oom = cgroup.oomKilled();
      Optional<String> failure = process.setupError();
      // From the RUNNING record: the exited one keeps startedAt, the backend and the PIDs.
      records.save(running.exited(exitCode, oom, Instant.now().toString(), failure.orElse(null)));
      if (failure.isPresent() && exitCode == 125) {
        String[] parts = failure.get().split(" ", 3);
        throw new ContainerStartException(record.name(), parts[0], parts.length > 2 ? parts[2] : failure.get());
      }
      if (failure.isPresent()) {
        // 126/127: the command could not be executed; say why, as `docker run` does (runc
        // prints it itself).
        String message = failure.get().split(" ", 3)[2];
        if (!err.toString(StandardCharsets.UTF_8).contains(message)) {
          byte[] reason = ("minke: " + message + "\n").getBytes(StandardCharsets.UTF_8);
          err.writeBytes(reason);
          listener.stderr(reason, reason.length);
        }
      }
      return new RunResult(record.id(), exitCode, out.toByteArray(), err.toByteArray(), oom,
          (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      records.save(record.exited(125, false, Instant.now().toString(), e.getMessage()));
      throw new ContainerStartException(record.name(), "start", e.getMessage());
    } catch (RunInterruptedException e) {
      Thread.currentThread().interrupt(); // only now: closing the cgroup waits for it to empty
      throw e;
    }
  }

  /**
   * Stops the container of an interrupted run (SIGTERM, SIGKILL after {@link
   * ProcessStop#RUN_GRACE}), waits for its output to be written, records it EXITED and returns
   * the exception to throw. The interrupt status is clear here; the caller sets it again.
   */
  private RunInterruptedException stopInterrupted(ContainerRecord record, ContainerRecord running,
      ContainerProcess process, CgroupHandle cgroup, Path dir, List<String> command, List<Thread> pumps) {
    ProcessStop.container(process, backend, cgroup, dir, record.id(), ProcessStop.RUN_GRACE);
    pumps.forEach(pump -> Interrupts.awaitEnd(pump, PUMP_WAIT));
    int exitCode = process.monitor().isAlive() ? 137 : exitCodeOf(process);
    records.save(running.exited(exitCode, false, Instant.now().toString(), null));
    return new RunInterruptedException(record.name(), String.join(" ", command), false);
  }

  private static int exitCodeOf(ContainerProcess process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 137;
    }
  }

  private static RuntimeSpec readSpec(Path dir) {
    try {
      return Json.read(Files.readAllBytes(dir.resolve("config.json")), RuntimeSpec.class);
    } catch (IOException e) {
      throw new StoreIOException("reading the bundle of", dir, e);
    }
  }

  /** Copies a stream to the listener, a buffer and a log file, on its own thread. */
  private static Thread pump(InputStream in, ByteArrayOutputStream buffer, Path log, BiConsumer<byte[], Integer> sink) {
    Thread thread = new Thread(() -> {
      byte[] chunk = new byte[8192];
      try (in; OutputStream file = Files.newOutputStream(log)) {
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
          sink.accept(chunk, n);
          buffer.write(chunk, 0, n);
          file.write(chunk, 0, n);
          file.flush();
        }
      } catch (IOException e) {
        // The container closed its end; what was read is kept.
      }
    }, "minke-output-" + log.getFileName());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
