package dev.minke.runtime;

/**
 * What a container wrote, as {@code docker logs} shows it: standard output and standard error,
 * each as written. The two are kept in separate files, so their interleaving is not known;
 * {@link #all()} gives output first, then errors.
 */
public record ContainerLogs(String stdout, String stderr) {

  /** Standard output, then standard error. */
  public String all() {
    return stdout + stderr;
  }

  @Override
  public String toString() {
    return all();
  }
}
