package dev.minke.build;

import dev.minke.error.MinkeException;
import dev.minke.image.ContainerConfig;
import dev.minke.image.LayerEntry;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a genuine busybox base image offline, from Debian's statically linked {@code
 * busybox-static}: {@code /bin/busybox}, every applet as a hard link where {@code busybox
 * --list-full} puts it, and the few files a shell expects ({@code /etc/passwd}, {@code
 * /etc/group}, {@code /tmp}, {@code /root}). The same binary gives the same digest on every
 * machine.
 */
public final class BusyboxImage {
  /** The name the image is tagged with, the same as on Docker Hub. */
  public static final Reference NAME = Reference.parse("busybox:latest");
  static final Path DEFAULT_BINARY = Path.of("/bin/busybox");

  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      daemon:x:1:1:daemon:/usr/sbin:/bin/false
      bin:x:2:2:bin:/bin:/bin/false
      sys:x:3:3:sys:/dev:/bin/false
      www-data:x:33:33:www-data:/var/www:/bin/false
      nobody:x:65534:65534:nobody:/home:/bin/false
      """;
  private static final String GROUP = """
      root:x:0:
      daemon:x:1:
      bin:x:2:
      sys:x:3:
      tty:x:5:
      www-data:x:33:
      users:x:100:
      nogroup:x:65534:
      """;

  private BusyboxImage() {}

  /** The busybox image, made first if the store does not have it. */
  public static BuildResult ensure(Store store) {
    Optional<dev.minke.image.Descriptor> existing = store.images().resolve(NAME);
    if (existing.isPresent()) {
      var manifest = store.manifest(existing.get().digest());
      return new BuildResult(existing.get(), manifest, store.config(manifest), List.of());
    }
    return make(store, DEFAULT_BINARY, 0);
  }

  /** Makes (or remakes) the image from a static busybox binary and tags it {@code busybox:latest}. */
  public static BuildResult make(Store store, Path binary, long epochSeconds) {
    requireStatic(binary);
    String version = run(binary).get(0);
    List<LayerEntry> entries = new ArrayList<>();
    for (String dir : List.of("bin", "dev", "etc", "home", "proc", "sbin", "sys", "usr", "usr/bin",
        "usr/sbin", "var", "var/spool", "var/www")) {
      entries.add(LayerEntry.directory(dir));
    }
    entries.add(LayerEntry.directory("tmp").withMode(01777));
    entries.add(LayerEntry.directory("root").withMode(0700));
    entries.add(LayerEntry.file("etc/passwd", PASSWD.getBytes(StandardCharsets.UTF_8)));
    entries.add(LayerEntry.file("etc/group", GROUP.getBytes(StandardCharsets.UTF_8)));
    try {
      entries.add(LayerEntry.file("bin/busybox", binary, Files.size(binary)).withMode(0755));
    } catch (IOException e) {
      throw notUsable(binary, "cannot read it: " + e.getMessage());
    }
    for (String applet : run(binary, "--list-full")) {
      if (!applet.equals("bin/busybox") && applet.contains("/")) {
        entries.add(LayerEntry.hardlink(applet, "bin/busybox"));
      }
    }
    ContainerConfig config = ContainerConfig.empty()
        .withEnv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .withCmd(List.of("sh"));
    String createdBy = "ADD busybox-static: " + version.replace(" multi-call binary.", "") + " /";
    return ImageWriter.writeOneLayer(store, entries, createdBy, config, List.of("CMD [\"sh\"]"), NAME, epochSeconds);
  }

  /** Refuses a dynamically linked busybox: it would not run in an image without a libc. */
  private static void requireStatic(Path binary) {
    byte[] header;
    try (InputStream in = Files.newInputStream(binary)) {
      header = in.readNBytes(64 * 1024);
    } catch (IOException e) {
      throw notUsable(binary, "it is not there (" + e.getMessage() + ")");
    }
    if (header.length < 64 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F'
        || header[4] != 2) {
      throw notUsable(binary, "it is not a 64-bit ELF executable");
    }
    ByteBuffer elf = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = elf.getLong(0x20);
    int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
    int phnum = Short.toUnsignedInt(elf.getShort(0x38));
    for (int i = 0; i < phnum; i++) {
      long offset = phoff + (long) i * phentsize;
      if (offset + 4 > header.length) {
        break;
      }
      if (elf.getInt((int) offset) == 3) { // PT_INTERP: it needs a dynamic loader.
        throw notUsable(binary, "it is dynamically linked");
      }
    }
  }

  private static List<String> run(Path binary, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines().toList();
      if (!process.waitFor(30, TimeUnit.SECONDS) || lines.isEmpty()) {
        throw notUsable(binary, "running it printed nothing");
      }
      return lines;
    } catch (IOException e) {
      throw notUsable(binary, "it cannot run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw notUsable(binary, "interrupted while running it");
    }
  }

  private static MinkeException notUsable(Path binary, String why) {
    return new MinkeException("cannot make the busybox image from " + binary + ": " + why,
        "install Debian's statically linked busybox: sudo apt-get install busybox-static");
  }
}
