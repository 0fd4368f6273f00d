package dev.minke.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file operations: the write-to-temp, fsync, rename, fsync-directory sequence. */
final class FileSync {
  private FileSync() {}

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> READABLE =
      java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

  /**
   * Gives a temp file the mode of published store files (0644): temp files start as 0600, and
   * other users' tools (skopeo, umoci) must read blobs and index.json.
   */
  static void makeReadable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, READABLE);
  }

  /** Flushes a directory entry change (a rename or create) to disk. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Replaces {@code target} with {@code bytes} so that a crash leaves either the old or the new
   * file, never a torn one.
   */
  static void writeAtomically(Path target, byte[] bytes, Path tmpDir) throws IOException {
    Files.createDirectories(tmpDir);
    Path tmp = Files.createTempFile(tmpDir, target.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      makeReadable(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
