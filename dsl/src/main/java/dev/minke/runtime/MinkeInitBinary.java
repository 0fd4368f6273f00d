package dev.minke.runtime;

import dev.minke.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds minke-init: the static helper is built into the jar as a resource
 * ({@code dev/minke/runtime/native/minke-init-<arch>}) and copied once into {@code
 * $MINKE_HOME/bin/}, named by its content hash so a changed build never runs a stale copy.
 * (minke-init re-executes itself from a sealed in-memory copy, so the file on disk is never
 * what a container could overwrite; CVE-2019-5736.)
 */
final class MinkeInitBinary {
  /**
   * The copy already made for each bin directory by this JVM: reading and hashing the ~1 MB
   * resource took about 2 ms of every container start. The resource cannot change under a
   * running JVM, so only the copy's presence is checked again.
   */
  private static final Map<Path, Path> EXTRACTED = new ConcurrentHashMap<>();

  private MinkeInitBinary() {}

  /** The binary, extracted into {@code binDir}, or empty when this build has none. */
  static Optional<Path> locate(Path binDir) {
    Path known = EXTRACTED.get(binDir);
    if (known != null && Files.isExecutable(known)) {
      return Optional.of(known);
    }
    Optional<Path> extracted = extract(binDir);
    extracted.ifPresent(path -> EXTRACTED.put(binDir, path));
    return extracted;
  }

  private static Optional<Path> extract(Path binDir) {
    String resource = "/dev/minke/runtime/native/minke-init-" + machine();
    try (InputStream in = MinkeInitBinary.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      Path target = binDir.resolve("minke-init-" + Digest.sha256(bytes).shortHex());
      if (!Files.isExecutable(target)) {
        Files.createDirectories(binDir);
        Path tmp = Files.createTempFile(binDir, "minke-init-", ".tmp");
        Files.write(tmp, bytes);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.of(target);
    } catch (IOException e) {
      throw new NoRuntimeException("minke-init could not be copied into " + binDir + ": " + e.getMessage());
    }
  }

  /** {@code uname -m} of this JVM's architecture. */
  static String machine() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch;
    };
  }
}
