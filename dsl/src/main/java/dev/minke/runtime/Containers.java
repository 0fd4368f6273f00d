package dev.minke.runtime;

import dev.minke.error.MinkeException;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.os.Posix;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
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
    Manifest manifest = store.manifest(manifestDescriptor.digest());
    ImageConfig image = store.config(manifest);
    List<Path> layers = store.snapshots().prepare(manifest, image);
    String id = HexFormat.of().formatHex(randomBytes());
    String containerName = name == null ? "minke_" + id.substring(0, 12) : name;
    if (name != null && records.list().stream().anyMatch(c -> name.equals(c.name()))) {
      throw new MinkeException("a container named \"" + name + "\" already exists",
          "remove it first (`minke rm " + name + "`) or choose another name");
    }
    boolean rootless = !Posix.isRoot();
    RuntimeSpec spec = SpecBuilder.build(image.config(), withLimitsThisUserCanHave(options), accounts(layers), id,
        rootless,
        hostId("uid"), hostId("gid"));
    ContainerRecord record = new ContainerRecord(id, containerName, imageName, manifestDescriptor.digest().toString(),
        Instant.now().toString(), spec.process().args(), ContainerRecord.State.CREATED, 0, 0, 0, null, false,
        null, null, null, null);
    records.create(record);
    try {
      Files.write(records.dir(id).resolve("config.json"), Json.bytes(spec));
    } catch (IOException e) {
      records.delete(id);
      throw new dev.minke.store.StoreIOException("writing the bundle of", records.dir(id), e);
    }
    return record;
  }

  /**
   * The options, without Minke's default pids limit where this user may make no cgroups (rootless
   * on cgroup v1, or v2 without delegation): Docker has no default limit, so the run goes on,
   * with a warning. Limits the user asked for stay, and the start then fails saying why.
   */
  static RunOptions withLimitsThisUserCanHave(RunOptions options) {
    if (!options.defaultPidsLimit()) {
      return options;
    }
    Cgroups cgroups = Cgroups.detect();
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
    return new AttachedRun(records, Runtimes.select(store.home())).run(record, plan(record), listener);
  }

  /** Runs one more process in a running container, attached: {@code docker exec}. */
  public RunResult exec(String idOrName, ExecOptions options, OutputListener listener) {
    return new ExecRun(store.home(), records).run(idOrName, options, listener);
  }

  /** Creates, runs and (when {@code remove}) removes a container: {@code docker run [--rm]}. */
  public RunResult run(Descriptor manifest, String imageName, RunOptions options, OutputListener listener,
      boolean remove) {
    ContainerRecord record = create(manifest, imageName, options, null);
    try {
      return start(record.id(), listener);
    } finally {
      if (remove) {
        remove(record.id());
      }
    }
  }

  /** Removes a container that is not running, with its layer and logs. */
  public void remove(String idOrName) {
    ContainerRecord record = records.get(idOrName);
    if (record.state() == ContainerRecord.State.RUNNING && ProcessHandle.of(record.monitorPid()).isPresent()) {
      throw new MinkeException("container " + record.name() + " is running",
          "stop it first (`minke stop " + record.name() + "`)");
    }
    records.delete(record.id());
  }

  /** The overlay of a container: its image's snapshots below its own upper directory. */
  RootfsPlan plan(ContainerRecord record) {
    Descriptor manifestDescriptor = Descriptor.of(dev.minke.image.MediaType.OCI_MANIFEST,
        Digest.parse(record.imageDigest()), 0);
    Manifest manifest = store.manifest(manifestDescriptor.digest());
    ImageConfig image = store.config(manifest);
    store.snapshots().prepare(manifest, image);
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
