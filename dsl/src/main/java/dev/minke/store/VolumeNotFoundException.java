package dev.minke.store;

import dev.minke.error.MinkeException;

/** No volume has this name. */
public class VolumeNotFoundException extends MinkeException {
  private final String name;

  public VolumeNotFoundException(String name) {
    super("no such volume: " + name, "`minke volume ls` lists the volumes");
    this.name = name;
  }

  public String name() {
    return name;
  }
}
