package dev.minke.runtime;

import dev.minke.error.MinkeException;

/** No container answers to the ID or name the caller gave. */
public class ContainerNotFoundException extends MinkeException {
  public ContainerNotFoundException(String idOrName) {
    super("no container \"" + idOrName + "\"", "`minke ps -a` lists the containers");
  }
}
