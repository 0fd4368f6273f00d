package dev.minke.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container without cgroups, for a user who may not make any and asked for no limits (Docker's
 * defaults are unlimited). Nothing is tracked: the caller signals its own process.
 */
final class NoCgroup implements CgroupHandle {
  private final String name;
  private final String reason;

  NoCgroup(String name, String reason) {
    this.name = name;
    this.reason = reason;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Path> procsFiles() {
    return List.of();
  }

  @Override
  public Optional<Path> primaryDir() {
    return Optional.empty();
  }

  @Override
  public Stats stats() {
    return Stats.NONE;
  }

  @Override
  public boolean oomKilled() {
    return false;
  }

  @Override
  public void killAll(int signal) {}

  @Override
  public void remove() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "no cgroup for " + name + " (" + reason + ")";
  }
}
