package dev.minke.runtime;

import dev.minke.error.MinkeException;
import dev.minke.image.ContainerConfig;
import dev.minke.store.StoreIOException;
import dev.minke.store.Volume;
import dev.minke.store.VolumeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The mounts of one new container: the run's own ({@link RunOptions#mounts()}) plus an anonymous
 * volume for each {@code VOLUME} of the image that the run mounts nothing at or under. {@link
 * #plan} checks everything that can be checked without changing anything (so a missing bind
 * source leaves nothing behind); {@link #prepare} makes the volumes, fills empty ones from the
 * image and returns the {@code config.json} mounts; {@link #rollback} removes the volumes it made.
 */
final class VolumeMounts {
  private final List<MountSpec> mounts;
  private final List<String> createdVolumes = new ArrayList<>();

  private VolumeMounts(List<MountSpec> mounts) {
    this.mounts = mounts;
  }

  /**
   * The container's mounts, parents before children (Docker sorts by path depth, so that {@code
   * /data} does not hide {@code /data/cache}).
   *
   * @throws MinkeException if two mounts share a target or a {@code --mount} bind source is missing
   */
  static VolumeMounts plan(List<MountSpec> requested, ContainerConfig image) {
    List<MountSpec> mounts = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    for (MountSpec mount : requested) {
      if (!targets.add(mount.target())) {
        throw new MinkeException("duplicate mount point: " + mount.target(), "give each target one -v, --mount or --tmpfs");
      }
      mounts.add(mount.type() == MountSpec.Type.BIND ? resolveBind(mount) : mount);
    }
    for (String volume : image.volumes().keySet()) {
      MountSpec anonymous = MountSpec.anonymousVolume(volume);
      if (targets.stream().noneMatch(t -> t.equals(anonymous.target()) || t.startsWith(anonymous.target() + "/"))) {
        targets.add(anonymous.target());
        mounts.add(anonymous);
      }
    }
    mounts.sort(Comparator.comparingInt(m -> Path.of(m.target()).getNameCount()));
    return new VolumeMounts(Collections.unmodifiableList(mounts));
  }

  /** The planned mounts, in mount order. */
  List<MountSpec> mounts() {
    return mounts;
  }

  /**
   * Makes what the mounts need and returns them as {@code config.json} mounts; call it holding
   * the volumes lock ({@link VolumeStore#locked}), so that no volume is removed or filled under it.
   *
   * @param layersBottomFirst the image's snapshot directories, for filling empty volumes
   */
  List<RuntimeSpec.Mount> prepare(VolumeStore volumes, List<Path> layersBottomFirst) {
    List<Path> layersTopFirst = new ArrayList<>(layersBottomFirst);
    Collections.reverse(layersTopFirst);
    List<RuntimeSpec.Mount> specMounts = new ArrayList<>();
    for (MountSpec mount : mounts) {
      specMounts.add(switch (mount.type()) {
        case BIND -> new RuntimeSpec.Mount(mount.target(), "bind", bindSource(mount).toString(), mount.specOptions());
        case TMPFS -> new RuntimeSpec.Mount(mount.target(), "tmpfs", "tmpfs", mount.specOptions());
        case VOLUME -> new RuntimeSpec.Mount(mount.target(), "bind", volume(volumes, mount, layersTopFirst).toString(),
            mount.specOptions());
      });
    }
    return specMounts;
  }

  /** Removes the anonymous and named volumes {@link #prepare} created. */
  void rollback(VolumeStore volumes) {
    for (String name : createdVolumes) {
      try {
        volumes.delete(name);
      } catch (RuntimeException e) {
        // The container's own error is the one to report; `minke volume prune` takes the rest.
      }
    }
  }

  private Path volume(VolumeStore volumes, MountSpec mount, List<Path> layersTopFirst) {
    String name = mount.source() == null ? VolumeStore.randomName() : mount.source();
    if (volumes.find(name).isEmpty()) {
      volumes.create(name, mount.source() == null);
      createdVolumes.add(name);
    }
    Path data = volumes.dataDir(name);
    if (!mount.noCopy() && volumes.isEmpty(name)) {
      try {
        VolumeCopyUp.copy(layersTopFirst, mount.target(), data);
      } catch (IOException e) {
        throw new StoreIOException("copying the image's " + mount.target() + " into volume " + name + " at", data, e);
      }
    }
    return data;
  }

  /**
   * A bind's host path resolved to its real path, once (what gets mounted is that path, whatever
   * symlink was given). {@code -v} creates a missing directory, as Docker does; {@code --mount}
   * refuses.
   */
  private static MountSpec resolveBind(MountSpec mount) {
    Path host = Path.of(mount.source());
    if (!Files.exists(host) && !mount.createHostPath()) {
      throw new BindSourceNotFoundException(host, mount.target());
    }
    if (!Files.exists(host)) {
      return mount; // created by prepare, when the container is made
    }
    return withSource(mount, realPath(host));
  }

  private static Path bindSource(MountSpec mount) {
    Path host = Path.of(mount.source());
    if (!Files.exists(host)) {
      try {
        Files.createDirectories(host);
      } catch (IOException e) {
        throw new StoreIOException("creating the bind mount source", host, e);
      }
      return realPath(host);
    }
    return host;
  }

  private static Path realPath(Path host) {
    try {
      return host.toRealPath();
    } catch (IOException e) {
      throw new StoreIOException("resolving the bind mount source", host, e);
    }
  }

  private static MountSpec withSource(MountSpec m, Path source) {
    return new MountSpec(m.type(), source.toString(), m.target(), m.readOnly(), m.propagation(), m.tmpfsOptions(),
        m.createHostPath(), m.noCopy());
  }

  /** Names of the volumes a container's {@code config.json} mounts. */
  static List<String> volumesOf(RuntimeSpec spec, VolumeStore volumes) {
    List<String> names = new ArrayList<>();
    for (RuntimeSpec.Mount mount : spec.mounts()) {
      if ("bind".equals(mount.type()) && mount.source() != null) {
        volumes.nameOf(Path.of(mount.source())).ifPresent(names::add);
      }
    }
    return names;
  }

  /** Whether a volume is anonymous (made for an image's VOLUME or {@code -v /path}). */
  static boolean isAnonymous(VolumeStore volumes, String name) {
    return volumes.find(name).map(Volume::anonymous).orElse(false);
  }
}
