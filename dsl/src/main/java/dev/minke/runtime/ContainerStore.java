package dev.minke.runtime;

import dev.minke.image.Json;
import dev.minke.os.FileTrees;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The containers of a store, one directory each under {@code containers/}: the record, the
 * bundle ({@code config.json}, the {@code rootfs} mount point), the overlay's {@code upper} and
 * {@code work} directories, and the logs.
 */
public final class ContainerStore {
  static final String RECORD = "container.json";

  private final Path root;

  public ContainerStore(Path storeHome) {
    this.root = storeHome.resolve("containers");
  }

  /** A container's directory. */
  public Path dir(String id) {
    return root.resolve(id);
  }

  /** Creates the directory of a new container and records it. */
  void create(ContainerRecord record) {
    try {
      Path dir = dir(record.id());
      Files.createDirectories(dir.resolve("upper"));
      Files.createDirectories(dir.resolve("work"));
      Files.createDirectories(dir.resolve("rootfs"));
      save(record);
    } catch (IOException e) {
      throw new StoreIOException("creating container " + record.shortId() + " in", root, e);
    }
  }

  /** Replaces the record atomically. */
  void save(ContainerRecord record) {
    Path file = dir(record.id()).resolve(RECORD);
    try {
      Path tmp = Files.createTempFile(dir(record.id()), RECORD, ".tmp");
      Files.write(tmp, Json.bytes(record));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StoreIOException("writing", file, e);
    }
  }

  /** The container with this ID, unique ID prefix, or name. */
  public ContainerRecord get(String idOrName) {
    if (isFullId(idOrName)) { // The common case (Minke passes IDs around): one file, no listing.
      Optional<ContainerRecord> byId = find(idOrName);
      if (byId.isPresent()) {
        return byId.get();
      }
    }
    List<ContainerRecord> all = list();
    for (ContainerRecord c : all) {
      if (c.id().equals(idOrName) || idOrName.equals(c.name())) {
        return c;
      }
    }
    List<ContainerRecord> byPrefix = all.stream().filter(c -> c.id().startsWith(idOrName)).toList();
    if (byPrefix.size() == 1 && idOrName.length() >= 3) {
      return byPrefix.get(0);
    }
    throw new ContainerNotFoundException(idOrName);
  }

  private static boolean isFullId(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a RUNNING record without a container PID takes it from minke-init's report ({@code
   * pid N} in {@code init.report}, written before the command is exec'd): an attached start
   * saves its record once when it starts and once when it ends, not again for the PID.
   * runc/crun's PIDs are saved in the record.
   */
  static boolean pidFromReport(ContainerRecord record) {
    return "minke-init".equals(record.backend());
  }

  /** A RUNNING record whose container PID is in the report ({@link #pidFromReport}) gets it. */
  private ContainerRecord withReportedPid(ContainerRecord record) {
    if (record.state() != ContainerRecord.State.RUNNING || record.containerPid() > 0 || !pidFromReport(record)) {
      return record;
    }
    try {
      String report = new String(Files.readAllBytes(dir(record.id()).resolve("init.report")),
          java.nio.charset.StandardCharsets.UTF_8);
      for (String line : report.split("\n")) {
        if (line.startsWith("pid ") && line.substring(4).strip().matches("[0-9]+")) {
          return record.running(record.monitorPid(), record.monitorStartTicks(),
              Long.parseLong(line.substring(4).strip()), record.startedAt(), record.backend());
        }
      }
    } catch (IOException e) {
      // No report (yet): setup has not reached the command.
    }
    return record;
  }

  /** The record of the container with exactly this ID, read now; empty once it is removed. */
  Optional<ContainerRecord> find(String id) {
    Path file = dir(id).resolve(RECORD);
    try {
      return Optional.of(withReportedPid(Json.read(Files.readAllBytes(file), ContainerRecord.class)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIOException("reading", file, e);
    }
  }

  /** Every container, newest first. */
  public List<ContainerRecord> list() {
    List<ContainerRecord> records = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return records;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        Path file = dir.resolve(RECORD);
        if (Files.isRegularFile(file)) {
          records.add(withReportedPid(Json.read(Files.readAllBytes(file), ContainerRecord.class)));
        }
      }
    } catch (IOException e) {
      throw new StoreIOException("listing", root, e);
    }
    records.sort(Comparator.comparing(ContainerRecord::created).reversed().thenComparing(ContainerRecord::id));
    return records;
  }

  /** Deletes a container's directory; refuses while its root filesystem is still mounted. */
  void delete(String id) {
    try {
      openWorkDirs(dir(id).resolve("work"));
      FileTrees.delete(dir(id));
    } catch (IOException e) {
      throw new StoreIOException("removing container " + id.substring(0, 12) + " from", root, e);
    }
  }

  /**
   * Overlayfs leaves {@code work/work} at mode 000. Root deletes it anyway; its unprivileged
   * owner (rootless) must give itself access first.
   */
  private static void openWorkDirs(Path work) throws IOException {
    if (!Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(work)) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
      }
    }
  }
}
