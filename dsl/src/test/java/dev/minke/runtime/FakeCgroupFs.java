package dev.minke.runtime;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A cgroup v2 filesystem made of plain files: mkdir fills a directory with the control files the
 * kernel would show for the controllers its parent passes down, and rmdir, {@code
 * cgroup.subtree_control} and {@code cgroup.kill} behave as cgroupfs does.
 */
final class FakeCgroupFs extends CgroupFs {
  private final boolean swapAccounting;

  FakeCgroupFs(boolean swapAccounting) {
    this.swapAccounting = swapAccounting;
  }

  /** Makes {@code root} a v2 hierarchy root offering {@code controllers}. */
  static void makeRoot(Path root, String controllers) throws IOException {
    Files.createDirectories(root);
    Files.writeString(root.resolve("cgroup.controllers"), controllers + "\n");
    Files.writeString(root.resolve("cgroup.subtree_control"), "\n");
    Files.writeString(root.resolve("cgroup.procs"), "");
  }

  @Override
  void mkdir(Path dir) throws IOException {
    Files.createDirectory(dir);
    Set<String> controllers =
        V2Cgroup.tokens(Files.readString(dir.getParent().resolve("cgroup.subtree_control")));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("cgroup.procs", "");
    files.put("cgroup.controllers", String.join(" ", controllers) + "\n");
    files.put("cgroup.subtree_control", "\n");
    files.put("cgroup.events", "populated 0\nfrozen 0\n");
    files.put("cgroup.freeze", "0\n");
    files.put("cgroup.kill", "");
    if (controllers.contains("memory")) {
      files.put("memory.max", "max\n");
      files.put("memory.current", "0\n");
      files.put("memory.peak", "0\n");
      files.put("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
      if (swapAccounting) {
        files.put("memory.swap.max", "max\n");
      }
    }
    if (controllers.contains("cpu")) {
      files.put("cpu.max", "max 100000\n");
    }
    // cpu.stat is always there in v2 (basic usage from the core, not the cpu controller).
    files.put("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
    if (controllers.contains("pids")) {
      files.put("pids.max", "max\n");
      files.put("pids.current", "0\n");
    }
    for (var file : files.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
  }

  @Override
  void rmdir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    if (!children(dir).isEmpty()) {
      throw new DirectoryNotEmptyException(dir.toString());
    }
    if (!Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
      throw new FileSystemException(dir.toString(), null, "Device or resource busy");
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  @Override
  void write(Path file, String value) throws IOException {
    String name = file.getFileName().toString();
    if (name.equals("cgroup.subtree_control")) {
      enable(file, value);
    } else if (name.equals("cgroup.kill") && value.strip().equals("1")) {
      super.write(file.resolveSibling("cgroup.procs"), ""); // the kernel kills the lot
    } else {
      super.write(file, value);
    }
  }

  // "+memory +pids": each must be in this directory's cgroup.controllers (else ENOENT, as the kernel).
  private void enable(Path file, String value) throws IOException {
    Set<String> available =
        V2Cgroup.tokens(Files.readString(file.resolveSibling("cgroup.controllers")));
    Set<String> enabled = V2Cgroup.tokens(Files.readString(file));
    for (String token : V2Cgroup.tokens(value)) {
      String controller = token.substring(1);
      if (!available.contains(controller)) {
        throw new FileSystemException(file.toString(), null, "No such file or directory");
      }
      if (token.startsWith("+")) {
        enabled.add(controller);
      } else {
        enabled.remove(controller);
      }
    }
    super.write(file, String.join(" ", enabled) + "\n");
  }
}
