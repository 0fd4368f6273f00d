package dev.minke.runtime;

import dev.minke.image.Json;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a created container detached ({@code docker run -d}): output is appended to {@code
 * stdout.log} and {@code stderr.log}, the cgroup is made by name and left open (the reaper or
 * {@code rm} removes it), and the record is saved RUNNING with the monitor's PID, the monitor's
 * start time and the container's PID, so any JVM can find, signal and reap it later.
 */
final class DetachedRun {
  /** How long a start may take before it counts as hung: minke-init reports in milliseconds. */
  private static final long START_TIMEOUT_SECONDS = 30;

  private final ContainerStore records;
  private final RuntimeBackend backend;

  DetachedRun(ContainerStore records, RuntimeBackend backend) {
    this.records = records;
    this.backend = backend;
  }

  ContainerRecord start(ContainerRecord record, RootfsPlan plan) {
    Path dir = records.dir(record.id());
    RuntimeSpec spec = readSpec(dir);
    CgroupHandle cgroup = backend.managesCgroups()
        ? new NoCgroup(record.id(), backend.name() + " makes its own cgroups")
        : Cgroups.detect().create(record.id(), spec.linux().resources());
    ContainerProcess wrapper = null;
    try {
      ContainerLaunch launch = new ContainerLaunch(record.id(), dir, spec, plan, cgroup.procsFiles(),
          cgroup.deviceFilterDir(),
          ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()),
          ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.log").toFile()));
      String startedAt = Instant.now().toString();
      wrapper = backend.startDetached(launch);
      Optional<Long> monitorPid = DetachedMonitor.awaitPid(dir, wrapper.monitor());
      Optional<Long> containerPid = monitorPid.isPresent() ? wrapper.containerPid() : Optional.empty();
      if (containerPid.isEmpty()) {
        throw failed(record, wrapper, cgroup);
      }
      // -1 when the monitor is already gone: no process will ever match, so the reaper takes it.
      long startTicks = ProcStat.of(monitorPid.get()).map(ProcStat::startTicks).orElse(-1L);
      ContainerRecord running = record.running(monitorPid.get(), startTicks, containerPid.get(), startedAt,
          backend.name());
      records.save(running);
      return running;
    } catch (IOException e) {
      cgroup.close();
      records.save(record.exited(125, false, Instant.now().toString(), e.getMessage()));
      throw new ContainerStartException(record.name(), "start", e.getMessage());
    } catch (InterruptedException e) {
      // The flag is clear here, so that the half-started container can be killed and waited for.
      if (wrapper != null) {
        ProcessStop.container(wrapper, backend, cgroup, dir, record.id(), ProcessStop.BUILD_GRACE);
      }
      cgroup.close();
      if (backend.managesCgroups()) {
        OciCliBackend.cleanUp(backend.name(), dir, record.id());
      }
      records.save(record.exited(137, false, Instant.now().toString(), "interrupted while starting"));
      Thread.currentThread().interrupt();
      throw new RunInterruptedException(record.name(), String.join(" ", spec.process().args()), false);
    }
  }

  /** The container ended before it ran: record why, clean up, and say which step failed. */
  private ContainerStartException failed(ContainerRecord record, ContainerProcess wrapper, CgroupHandle cgroup)
      throws InterruptedException {
    Path dir = records.dir(record.id());
    if (!wrapper.monitor().waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      cgroup.close(); // Kills the monitor, which is in the cgroup.
      wrapper.monitor().destroyForcibly().waitFor();
    }
    int code = DetachedMonitor.exitStatus(dir, 1_000).orElse(wrapper.monitor().exitValue());
    boolean oom = cgroup.oomKilled();
    cgroup.close();
    Optional<String> failure = wrapper.setupError();
    String detail = failure.map(f -> f.split(" ", 3)).map(parts -> parts.length > 2 ? parts[2] : parts[0])
        .orElse("the runtime ended with status " + code + " before the container ran; see " + dir.resolve("stderr.log"));
    records.save(record.exited(code, oom, Instant.now().toString(), failure.orElse(detail)));
    return new ContainerStartException(record.name(), failure.map(f -> f.split(" ", 2)[0]).orElse("start"), detail);
  }

  static RuntimeSpec readSpec(Path dir) {
    try {
      return Json.read(Files.readAllBytes(dir.resolve("config.json")), RuntimeSpec.class);
    } catch (IOException e) {
      throw new StoreIOException("reading the bundle of", dir, e);
    }
  }
}
