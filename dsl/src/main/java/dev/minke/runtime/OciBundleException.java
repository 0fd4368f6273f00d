package dev.minke.runtime;

import dev.minke.error.MinkeException;
import java.nio.file.Path;

/**
 * An OCI bundle asks for what Minke cannot do, or is not a bundle: fix {@link #field()} in its
 * config.json. Nothing was created.
 */
public final class OciBundleException extends MinkeException {
  private final Path bundle;
  private final String field;

  OciBundleException(Path bundle, String field, String problem, String hint) {
    super(problem, hint);
    this.bundle = bundle;
    this.field = field;
  }

  /** The bundle directory. */
  public Path bundle() {
    return bundle;
  }

  /** The config.json field at fault, e.g. {@code linux.namespaces}. */
  public String field() {
    return field;
  }
}
