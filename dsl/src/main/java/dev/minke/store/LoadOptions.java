package dev.minke.store;

import dev.minke.registry.Reference;

/**
 * How {@link ImageArchive#load} reads an archive.
 *
 * @param sourceName the archive as errors name it ({@code busybox.tar}, {@code stdin})
 * @param repository the repository for images an OCI archive names only by a bare tag ({@code
 *     latest}); without one such images are loaded untagged. Its own tag is ignored.
 */
public record LoadOptions(String sourceName, Reference repository) {
  public LoadOptions {
    sourceName = sourceName == null || sourceName.isBlank() ? "(stream)" : sourceName;
  }

  public static LoadOptions defaults() {
    return new LoadOptions(null, null);
  }

  public LoadOptions withSourceName(String newSourceName) {
    return new LoadOptions(newSourceName, repository);
  }

  public LoadOptions withRepository(Reference newRepository) {
    return new LoadOptions(sourceName, newRepository);
  }
}
