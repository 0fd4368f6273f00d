package dev.minke.runtime;

import java.util.List;

/**
 * A volume as {@code docker volume inspect} shows it, plus the containers that mount it.
 *
 * @param mountpoint the host directory containers mount ({@code volumes/<name>/_data})
 * @param containers names of the containers (running or not) that mount it
 */
public record VolumeInfo(String name, String mountpoint, String created, boolean anonymous, List<String> containers) {
  public VolumeInfo {
    containers = List.copyOf(containers);
  }

  /** Whether no container mounts it. */
  public boolean unused() {
    return containers.isEmpty();
  }

  @Override
  public String toString() {
    return name + " (" + (anonymous ? "anonymous, " : "") + (containers.isEmpty() ? "unused"
        : "used by " + String.join(", ", containers)) + ") at " + mountpoint;
  }
}
