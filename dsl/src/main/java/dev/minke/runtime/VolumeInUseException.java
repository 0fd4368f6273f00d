package dev.minke.runtime;

import dev.minke.error.MinkeException;
import java.util.List;

/** A volume cannot be removed while a container, running or not, mounts it. */
public class VolumeInUseException extends MinkeException {
  private final String volume;
  private final List<String> containers;

  public VolumeInUseException(String volume, List<String> containers) {
    super("volume " + volume + " is in use by container" + (containers.size() == 1 ? " " : "s ")
        + String.join(", ", containers), "remove the container" + (containers.size() == 1 ? "" : "s") + " first (`minke rm "
        + String.join(" ", containers) + "`)");
    this.volume = volume;
    this.containers = List.copyOf(containers);
  }

  public String volume() {
    return volume;
  }

  /** The names of the containers that mount it. */
  public List<String> containers() {
    return containers;
  }
}
