package dev.minke.image;

import java.util.Objects;

/**
 * One path a layer added, modified or deleted.
 *
 * <p>{@code sizeBytes} is the size after the layer, except for a deletion, where it is the size
 * the path had below (what the deletion hides). {@code previousSizeBytes} is the size below: zero
 * for an addition, equal to {@code sizeBytes} for a deletion. {@code type} is the type after the
 * layer, or below for a deletion.
 */
public record FileChange(
    String path, ChangeKind kind, long sizeBytes, long previousSizeBytes, FileType type) {

  public FileChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
  }

  static FileChange added(FileInfo now) {
    return new FileChange(now.path(), ChangeKind.ADDED, now.sizeBytes(), 0, now.type());
  }

  static FileChange modified(FileInfo now, FileInfo below) {
    return new FileChange(
        now.path(), ChangeKind.MODIFIED, now.sizeBytes(), below.sizeBytes(), now.type());
  }

  static FileChange deleted(FileInfo below) {
    return new FileChange(
        below.path(), ChangeKind.DELETED, below.sizeBytes(), below.sizeBytes(), below.type());
  }
}
