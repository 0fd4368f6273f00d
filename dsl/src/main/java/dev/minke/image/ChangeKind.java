package dev.minke.image;

/** How a layer changed a path relative to the filesystem below it. */
public enum ChangeKind {
  ADDED,
  MODIFIED,
  DELETED
}
