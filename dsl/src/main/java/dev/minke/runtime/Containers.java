package dev.minke.runtime;

import dev.minke.error.MinkeException;
import dev.minke.image.ContainerChanges;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.os.Interrupts;
import dev.minke.os.Posix;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import dev.minke.store.VolumeStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Creates, runs and removes containers of a store's images: the snapshots become the lower
 * layers of an overlay, the spec is Docker's for the image and options, the cgroups hold the
 * limits, and the chosen backend starts the process.
 */
public final class Containers {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final System.Logger LOG = System.getLogger(Containers.class.getName());

  private final Store store;
  private final ContainerStore records;

  public Containers(Store store) {
    this.store = store;
    this.records = new ContainerStore(store.home());
  }

  public ContainerStore records() {
    return records;
  }

  /** Creates a container of an image (unpacking its snapshots first); it does not start. */
  public ContainerRecord create(Descriptor manifestDescriptor, String imageName, RunOptions options, String name) {
    return create(manifestDescriptor, imageName, options, name, null).record();
  }

  /**
   * What {@link #create} made and read, so that {@link #run} can start the container without
   * reading the manifest, the config, the snapshots and {@code config.json} again.
   */
  private record Created(ContainerRecord record, RuntimeSpec spec, RootfsPlan plan) {}

  private Created create(Descriptor manifestDescriptor, String imageName, RunOptions options, String name,
      Cgroups cgroups) {
    Manifest manifest = store.manifest(manifestDescriptor.digest());
    ImageConfig image = store.config(manifest);
    List<Path> layers = store.snapshots().prepare(manifest, image);
    String id = HexFormat.of().formatHex(randomBytes());
    String containerName = name == null ? "minke_" + id.substring(0, 12) : name;
    if (name != null && records.list().stream().anyMatch(c -> name.equals(c.name()))) {
      throw new MinkeException("a container named \"" + name + "\" already exists",
          "remove it first (`minke rm " + name + "`) or choose another name");
    }
    VolumeMounts mounts = VolumeMounts.plan(options.mounts(), image.config()); // checks binds before anything is made
    boolean rootless = !Posix.isRoot();
    ContainerNetworking.validate(options);
    RuntimeSpec spec = SpecBuilder.build(image.config(), withLimitsThisUserCanHave(options, cgroups),
        accounts(layers), id, rootless, hostId("uid"), hostId("gid"));
    ContainerRecord record = new ContainerRecord(id, containerName, imageName, manifestDescriptor.digest().toString(),
        Instant.now().toString(), spec.process().args(), ContainerRecord.State.CREATED, 0, 0, 0, null, false,
        null, null, null, null);
    records.create(record);
    RuntimeSpec written = writeBundle(record, spec, mounts, layers);
    ContainerNetworking.prepare(records.dir(id), options, containerName, spec.hostname());
    return new Created(record, written, plan(record, image));
  }

  /**
   * Writes {@code config.json} with the container's mounts, making and filling its volumes first,
   * under the volumes lock so that no volume is removed half way; on failure the container and
   * the volumes made for it are removed again.
   */
  private RuntimeSpec writeBundle(ContainerRecord record, RuntimeSpec spec, VolumeMounts mounts, List<Path> layers) {
    VolumeStore volumes = new VolumeStore(store.home());
    Path config = records.dir(record.id()).resolve("config.json");
    return volumes.locked(() -> {
      try {
        RuntimeSpec withMounts = spec.withExtraMounts(mounts.prepare(volumes, layers));
        Files.write(config, Json.bytes(withMounts));
        return withMounts;
      } catch (IOException | RuntimeException e) {
        mounts.rollback(volumes);
        records.delete(record.id());
        throw e instanceof IOException io ? new StoreIOException("writing the bundle of", config, io)
            : (RuntimeException) e;
      }
    });
  }

  /**
   * The options, without Minke's default pids limit where this user may make no cgroups (rootless
   * on cgroup v1, or v2 without delegation): Docker has no default limit, so the run goes on,
   * with a warning. Limits the user asked for stay, and the start then fails saying why.
   */
  static RunOptions withLimitsThisUserCanHave(RunOptions options) {
    return withLimitsThisUserCanHave(options, null);
  }

  /** As above, with the cgroups already detected (null: look now). */
  private static RunOptions withLimitsThisUserCanHave(RunOptions options, Cgroups detected) {
    if (!options.defaultPidsLimit()) {
      return options;
    }
    Cgroups cgroups = detected != null ? detected : Cgroups.detect();
    if (cgroups.available()) {
      return options;
    }
    LOG.log(System.Logger.Level.WARNING, "running without Minke''s default pids limit ({0}): {1}",
        Long.toString(options.pidsLimit()), cgroups.unavailableReason().orElse("cgroups are unavailable"));
    return options.withoutDefaultPidsLimit();
  }

  /** Runs a created container attached: output goes to the listener as it is written. */
  public RunResult start(String idOrName, OutputListener listener) {
    ContainerRecord record = records.get(idOrName);
    if (record.state() != ContainerRecord.State.CREATED) {
      throw new MinkeException("container " + record.name() + " is " + record.state().name().toLowerCase()
          + ", not created", "run the image again to get a new container");
    }
    return startAttached(record, null, null, null, listener);
  }

  /** Runs a created container attached; SPEC, PLAN and CGROUPS may be null (read or detect them). */
  private RunResult startAttached(ContainerRecord record, RuntimeSpec spec, RootfsPlan plan, Cgroups cgroups,
      OutputListener listener) {
    ContainerReaper.ATTACHED_HERE.add(record.id()); // AttachedRun records the end; the reaper leaves it be.
    try {
      return new AttachedRun(records, Runtimes.select(store.home())).run(record,
          plan != null ? plan : plan(record), spec, cgroups, listener);
    } finally {
      // Interrupted or not, the network goes: release waits for the commands that undo it.
      Interrupts.cleanUp(() -> ContainerNetworking.release(records.dir(record.id()), record.id()));
      ContainerReaper.ATTACHED_HERE.remove(record.id());
    }
  }

  /** Runs one more process in a running container, attached: {@code docker exec}. */
  public RunResult exec(String idOrName, ExecOptions options, OutputListener listener) {
    return new ExecRun(store.home(), records).run(idOrName, options, listener);
  }

  /**
   * Creates, runs and (when {@code remove}) removes a container: {@code docker run [--rm]}.
   *
   * <p>Interruptible: an interrupt of the calling thread stops the container (SIGTERM, SIGKILL
   * after 2 seconds), joins its output threads, removes it when {@code remove}, and throws
   * {@link RunInterruptedException} with the interrupt status set again.
   */
  public RunResult run(Descriptor manifest, String imageName, RunOptions options, OutputListener listener,
      boolean remove) {
    // One look at the cgroup mounts for the whole run, and what create read is not read again.
    Cgroups cgroups = Cgroups.detect();
    Created created = create(manifest, imageName, options, null, cgroups);
    ContainerRecord record = created.record();
    boolean interrupted = false;
    try {
      return startAttached(record, created.spec(), created.plan(), cgroups, listener);
    } catch (RunInterruptedException e) {
      interrupted = true;
      if (remove) {
        Interrupts.cleanUp(() -> removeRun(record, cgroups));
        throw e.afterRemoval();
      }
      throw e;
    } finally {
      if (remove && !interrupted) {
        removeRun(record, cgroups);
      }
    }
  }

  /** {@code run --rm}: the container goes, and its anonymous volumes with it. */
  private void removeRun(ContainerRecord record, Cgroups cgroups) {
    List<String> anonymous = mountedVolumes(record.id());
    remove(record.id(), false, cgroups);
    if (!anonymous.isEmpty()) {
      new Volumes(store).removeAnonymous(anonymous);
    }
  }

  /** The runtime spec ({@code config.json}) of a container. */
  public RuntimeSpec spec(String idOrName) {
    Path file = records.dir(get(idOrName).id()).resolve("config.json");
    try {
      return Json.read(Files.readAllBytes(file), RuntimeSpec.class);
    } catch (IOException e) {
      throw new dev.minke.store.StoreIOException("reading", file, e);
    }
  }

  /**
   * Removes a container that is not running, with its layer, logs and anonymous volumes ({@code
   * docker rm -v}; what {@code run --rm} does). Named volumes stay.
   */
  public void remove(String idOrName) {
    remove(idOrName, false, true);
  }

  /**
   * {@code docker rm [-f] [-v]}: {@link #remove(String, boolean)}, and with {@code volumes} also
   * the anonymous volumes it mounted that no other container mounts. Named volumes always stay.
   */
  public void remove(String idOrName, boolean force, boolean volumes) {
    List<String> mounted = volumes ? mountedVolumes(idOrName) : List.of();
    remove(idOrName, force);
    if (!mounted.isEmpty()) {
      new Volumes(store).removeAnonymous(mounted);
    }
  }

  private List<String> mountedVolumes(String idOrName) {
    try {
      return VolumeMounts.volumesOf(spec(idOrName), new VolumeStore(store.home()));
    } catch (StoreIOException e) {
      return List.of(); // no config.json: it mounts nothing
    }
  }

  /**
   * Starts a created container in the background ({@code docker run -d}) and returns at once,
   * RUNNING. Its output goes to {@code stdout.log} and {@code stderr.log} ({@link #logs}). The
   * container lives on when this JVM exits; any JVM on the store can {@link #stop}, {@link
   * #kill}, {@link #wait} for or {@link #remove} it.
   */
  public ContainerRecord startDetached(String idOrName) {
    ContainerRecord record = records.get(idOrName);
    if (record.state() != ContainerRecord.State.CREATED) {
      throw new ContainerStateException(record.name(), record.state(), "only a created container can start",
          "run the image again to get a new container");
    }
    try {
      return new DetachedRun(records, Runtimes.select(store.home())).start(record, plan(record));
    } catch (RuntimeException e) {
      ContainerNetworking.release(records.dir(record.id()), record.id());
      throw e;
    }
  }

  /**
   * The container as it is now ({@code docker inspect}): a RUNNING record whose monitor has
   * ended is reaped to EXITED first.
   */
  public ContainerRecord get(String idOrName) {
    return reaper().refresh(records.get(idOrName));
  }

  /** {@code docker ps} ({@code all}: {@code ps -a}), newest first, each brought up to date as {@link #get} does. */
  public List<ContainerRecord> list(boolean all) {
    ContainerReaper reaper = reaper();
    return records.list().stream().map(reaper::refresh)
        .filter(c -> all || c.state() == ContainerRecord.State.RUNNING).toList();
  }

  /**
   * Blocks until the container has exited and returns its exit code ({@code docker wait}).
   *
   * @throws ContainerStateException if it was never started
   * @throws WaitInterruptedException if the calling thread is interrupted (the container runs on)
   */
  public int wait(String idOrName) {
    ContainerRecord record = get(idOrName);
    while (true) {
      switch (record.state()) {
        case EXITED:
          return record.exitCode();
        case CREATED:
          throw new ContainerStateException(record.name(), record.state(), "it has not been started, so it cannot end",
              "start it first (`startDetached`)");
        default:
          ContainerSignals.awaitMonitorExit(record, Duration.ofDays(365));
          ContainerSignals.sleep(record);
          record = records.find(record.id()).map(reaper()::refresh)
              .orElseThrow(() -> new ContainerNotFoundException(idOrName));
      }
    }
  }

  /** Docker's default grace between SIGTERM and SIGKILL for {@link #stop(String)}. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /** {@code docker stop}: SIGTERM, then SIGKILL after 10 seconds; returns the exit code. */
  public int stop(String idOrName) {
    return stop(idOrName, STOP_GRACE);
  }

  /**
   * {@code docker stop -t}: SIGTERM to the container's PID 1, and SIGKILL to all of its
   * processes if it is still running after {@code grace}; returns the exit code (143 when
   * SIGTERM ended it, 137 when SIGKILL did). A container that is not running is left as it is.
   * A PID 1 without a SIGTERM handler ignores SIGTERM, as in Docker; {@link RunOptions#withInit}
   * gives it an init that handles it.
   */
  public int stop(String idOrName, Duration grace) {
    ContainerRecord record = get(idOrName);
    if (record.state() != ContainerRecord.State.RUNNING) {
      return record.exitCode() == null ? 0 : record.exitCode();
    }
    ContainerSignals.send(records, record, ContainerSignals.SIGTERM);
    if (!ContainerSignals.awaitMonitorExit(record, grace)) {
      ContainerSignals.send(records, record, ContainerSignals.SIGKILL);
    }
    return wait(record.id());
  }

  /** {@code docker kill}: SIGKILL to every process of the container. */
  public void kill(String idOrName) {
    kill(idOrName, ContainerSignals.SIGKILL);
  }

  /**
   * {@code docker kill -s}: sends {@code signal} (a number, 9 for SIGKILL) to the container;
   * returns at once (use {@link #wait} for the end).
   *
   * @throws ContainerStateException if it is not running
   */
  public void kill(String idOrName, int signal) {
    ContainerRecord record = get(idOrName);
    if (record.state() == ContainerRecord.State.RUNNING && ContainerSignals.send(records, record, signal)) {
      return;
    }
    ContainerRecord now = get(record.id());
    throw new ContainerStateException(now.name(), now.state(), "only a running container can be signalled",
        "`list(true)` shows every container's state");
  }

  /** {@code docker logs}: what the container wrote to standard output and standard error so far. */
  public ContainerLogs logs(String idOrName) {
    Path dir = records.dir(records.get(idOrName).id());
    return new ContainerLogs(readLog(dir.resolve("stdout.log")), readLog(dir.resolve("stderr.log")));
  }

  /**
   * {@code docker rm [-f]}: removes a container with its layer, logs and cgroup. A running one
   * is refused unless {@code force}, which kills it first.
   *
   * @throws ContainerStateException if it is running and {@code force} is false
   */
  public void remove(String idOrName, boolean force) {
    remove(idOrName, force, null);
  }

  private void remove(String idOrName, boolean force, Cgroups cgroups) {
    ContainerRecord record = get(idOrName);
    if (record.state() == ContainerRecord.State.RUNNING) {
      if (!force) {
        throw new ContainerStateException(record.name(), record.state(), "a running container cannot be removed",
            "stop it first (`minke stop " + record.name() + "`) or remove it with force (`minke rm -f "
                + record.name() + "`)");
      }
      ContainerSignals.send(records, record, ContainerSignals.SIGKILL);
      wait(record.id());
    }
    Path dir = records.dir(record.id());
    ContainerNetworking.release(dir, record.id());
    if (ContainerReaper.usesJavaCgroups(record)) {
      (cgroups != null ? cgroups : Cgroups.detect()).open(record.id()).close();
    } else if (record.backend() != null) {
      OciCliBackend.cleanUp(record.backend(), dir, record.id());
    }
    records.delete(record.id());
  }

  /**
   * {@code docker diff}: what the container changed in its image's filesystem, read from its
   * upper directory (running or not).
   */
  public List<ContainerChanges.Change> diff(String idOrName) {
    ContainerRecord record = records.get(idOrName);
    Manifest manifest = store.manifest(Digest.parse(record.imageDigest()));
    List<Path> lowers = new ArrayList<>(store.snapshots().prepare(manifest, store.config(manifest)));
    Collections.reverse(lowers); // Topmost first, as overlayfs lists them.
    Path upper = records.dir(record.id()).resolve("upper");
    try {
      return MountPointStubs.changesWithoutStubs(ContainerChanges.of(upper, lowers), upper, lowers);
    } catch (IOException e) {
      throw new StoreIOException("reading the changes of container " + record.shortId() + " in",
          upper, e);
    }
  }

  /**
   * {@code docker commit}: a new image, the container's image plus one layer of its changes,
   * with the same config; tagged {@code tag} (null: untagged). Returns the manifest's descriptor.
   */
  public Descriptor commit(String idOrName, Reference tag, String comment) {
    return commit(idOrName, tag, comment, null);
  }

  /** {@link #commit(String, Reference, String)} with a new CMD ({@code --change 'CMD …'}). */
  public Descriptor commit(String idOrName, Reference tag, String comment, List<String> cmd) {
    ContainerRecord record = records.get(idOrName);
    return ContainerCommit.commit(store, records.dir(record.id()).resolve("upper"), record, tag, comment, cmd);
  }

  private ContainerReaper reaper() {
    return new ContainerReaper(records);
  }

  private static String readLog(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new StoreIOException("reading", file, e);
    }
  }

  /** The overlay of a container: its image's snapshots below its own upper directory. */
  RootfsPlan plan(ContainerRecord record) {
    Descriptor manifestDescriptor = Descriptor.of(dev.minke.image.MediaType.OCI_MANIFEST,
        Digest.parse(record.imageDigest()), 0);
    Manifest manifest = store.manifest(manifestDescriptor.digest());
    ImageConfig image = store.config(manifest);
    store.snapshots().prepare(manifest, image);
    return plan(record, image);
  }

  /** The overlay of a container whose image's snapshots were just prepared. */
  private RootfsPlan plan(ContainerRecord record, ImageConfig image) {
    List<String> lowers = new ArrayList<>();
    for (Digest chainId : image.rootfs().chainIds()) {
      lowers.add(0, store.snapshots().link(chainId)); // Topmost first, as overlayfs lists them.
    }
    Path dir = records.dir(record.id());
    return new RootfsPlan(store.snapshots().linkDir(), lowers, dir.resolve("upper"), dir.resolve("work"),
        dir.resolve("rootfs"));
  }

  /** The image's /etc/passwd and /etc/group from the topmost layer that has them. */
  private static ImageAccounts accounts(List<Path> layersBottomFirst) {
    return new ImageAccounts(readTopmost(layersBottomFirst, "etc/passwd"), readTopmost(layersBottomFirst, "etc/group"));
  }

  private static String readTopmost(List<Path> layersBottomFirst, String path) {
    for (int i = layersBottomFirst.size() - 1; i >= 0; i--) {
      Path file = layersBottomFirst.get(i).resolve(path);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        try {
          return Files.readString(file);
        } catch (IOException e) {
          return "";
        }
      }
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return ""; // A whiteout (or something odd) hides lower copies.
      }
    }
    return "";
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static long hostId(String which) {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + which)).longValue();
    } catch (IOException e) {
      return 0;
    }
  }

  Optional<ContainerRecord> find(String idOrName) {
    try {
      return Optional.of(records.get(idOrName));
    } catch (ContainerNotFoundException e) {
      return Optional.empty();
    }
  }
}
