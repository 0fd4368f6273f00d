package dev.minke.runtime;

import dev.minke.error.MinkeException;
import java.nio.file.Path;

/** A bind mount's host path does not exist ({@code --mount type=bind} does not create it). */
public class BindSourceNotFoundException extends MinkeException {
  private final Path hostPath;
  private final String target;

  public BindSourceNotFoundException(Path hostPath, String target) {
    super("bind source path does not exist: " + hostPath + " (to mount on " + target + ")",
        "create it first, or use -v " + hostPath + ":" + target + ", which creates a missing directory");
    this.hostPath = hostPath;
    this.target = target;
  }

  public Path hostPath() {
    return hostPath;
  }

  public String target() {
    return target;
  }
}
