package dev.minke.runtime;

import dev.minke.image.Json;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import dev.minke.store.Volume;
import dev.minke.store.VolumeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named volumes with a life of their own ({@code docker volume create|ls|inspect|rm|prune}): data
 * that outlives the containers that mount it. The directories are the store's ({@link
 * VolumeStore}); which containers use a volume is read from their {@code config.json} mounts, the
 * one record of what a container mounts, so it can never disagree with what runs.
 */
public final class Volumes {
  private final VolumeStore volumes;
  private final ContainerStore containers;

  public Volumes(Store store) {
    this.volumes = new VolumeStore(store.home());
    this.containers = new ContainerStore(store.home());
  }

  /** {@code docker volume create NAME}: a new empty volume, or the existing one of that name. */
  public VolumeInfo create(String name) {
    return info(volumes.create(name, false));
  }

  /** {@code docker volume create}: a new volume with a random name. */
  public VolumeInfo create() {
    return create(VolumeStore.randomName());
  }

  /** {@code docker volume ls}, by name. */
  public List<VolumeInfo> list() {
    Map<String, List<String>> users = users();
    return volumes.list().stream().map(v -> info(v, users)).toList();
  }

  /** {@code docker volume inspect NAME}; throws {@link dev.minke.store.VolumeNotFoundException}. */
  public VolumeInfo inspect(String name) {
    return info(volumes.get(name));
  }

  /**
   * {@code docker volume rm NAME}: removes the volume and its data.
   *
   * @throws VolumeInUseException naming the containers, running or not, that mount it
   */
  public void remove(String name) {
    volumes.locked(() -> {
      volumes.get(name);
      List<String> users = users().getOrDefault(name, List.of());
      if (!users.isEmpty()) {
        throw new VolumeInUseException(name, users);
      }
      volumes.delete(name);
      return null;
    });
  }

  /** {@code docker volume prune -a}: removes every volume no container mounts; returns their names. */
  public List<String> prune() {
    return volumes.locked(() -> {
      Map<String, List<String>> users = users();
      List<String> removed = new ArrayList<>();
      for (Volume volume : volumes.list()) {
        if (!users.containsKey(volume.name())) {
          volumes.delete(volume.name());
          removed.add(volume.name());
        }
      }
      return removed;
    });
  }

  /** The size of a volume's files in bytes. */
  public long sizeBytes(String name) {
    volumes.get(name);
    return volumes.sizeBytes(name);
  }

  /**
   * Removes the anonymous volumes a removed container mounted, unless another container mounts
   * them too ({@code docker rm -v}, and {@code run --rm}).
   */
  void removeAnonymous(List<String> names) {
    volumes.locked(() -> {
      Map<String, List<String>> users = users();
      for (String name : names) {
        if (VolumeMounts.isAnonymous(volumes, name) && !users.containsKey(name)) {
          volumes.delete(name);
        }
      }
      return null;
    });
  }

  VolumeStore store() {
    return volumes;
  }

  /** Volume name → names of the containers whose config.json mounts it. */
  private Map<String, List<String>> users() {
    Map<String, List<String>> users = new LinkedHashMap<>();
    for (ContainerRecord record : containers.list()) {
      RuntimeSpec spec = spec(containers.dir(record.id()).resolve("config.json"));
      if (spec != null) {
        for (String name : VolumeMounts.volumesOf(spec, volumes)) {
          List<String> names = users.computeIfAbsent(name, n -> new ArrayList<>());
          if (!names.contains(record.name())) {
            names.add(record.name());
          }
        }
      }
    }
    return users;
  }

  private static RuntimeSpec spec(Path file) {
    try {
      return Json.read(Files.readAllBytes(file), RuntimeSpec.class);
    } catch (NoSuchFileException e) {
      return null; // a container being created, or one that failed to be
    } catch (IOException e) {
      throw new StoreIOException("reading", file, e);
    }
  }

  private VolumeInfo info(Volume volume) {
    return info(volume, users());
  }

  private VolumeInfo info(Volume volume, Map<String, List<String>> users) {
    return new VolumeInfo(volume.name(), volumes.dataDir(volume.name()).toString(), volume.created(),
        volume.anonymous(), users.getOrDefault(volume.name(), List.of()));
  }
}
