package dev.minke.build;

import java.util.List;

/** Where a copy step's sources are: the build context, or another stage's filesystem. */
interface SourceTree {
  /** The files and directories {@code source} (a path or a wildcard pattern) names. */
  List<CopySources.Source> find(String source);

  /** Whether a path below a copied directory ({@code prefix} + relative path) is left out. */
  boolean excludes(String relativePath);

  /**
   * The uid, gid and mode to give a copied file when no {@code --chown}/{@code --chmod} says:
   * null for the context (owner 0:0, the host's mode bits).
   */
  ImageFilesystem.Node metadata(CopySources.Source source);

  /** Whether directory walks keep the files' owners (a stage's files do; the context's are 0:0). */
  boolean preserveOwnership();
}
