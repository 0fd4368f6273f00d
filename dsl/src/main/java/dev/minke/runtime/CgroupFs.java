package dev.minke.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The few file operations cgroup code makes, in one place so that tests can stand in for the
 * kernel: a fake subclass fills a new directory with the control files cgroupfs would show.
 */
class CgroupFs {
  static final CgroupFs KERNEL = new CgroupFs();

  /** Creates one cgroup directory; fails if it exists. */
  void mkdir(Path dir) throws IOException {
    Files.createDirectory(dir);
  }

  /**
   * Removes one cgroup directory with rmdir(2). Never recursive: cgroupfs removes a directory
   * with its control files in one rmdir, and refuses (EBUSY) while it has processes or children.
   */
  void rmdir(Path dir) throws IOException {
    Files.delete(dir); // rmdir(2) for a directory
  }

  boolean exists(Path path) {
    return Files.exists(path);
  }

  String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  // No CREATE: a missing control file means a missing controller, and cgroupfs cannot hold
  // regular files. TRUNCATE is what runc does too; cgroupfs ignores it.
  void write(Path file, String value) throws IOException {
    Files.writeString(
        file, value, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** The child cgroups of {@code dir}; empty if it does not exist. */
  List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> out = new ArrayList<>();
      entries.filter(Files::isDirectory).sorted().forEach(out::add);
      return out;
    }
  }
}
