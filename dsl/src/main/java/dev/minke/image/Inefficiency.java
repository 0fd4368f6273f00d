package dev.minke.image;

import java.util.Objects;

/**
 * A path that more than one layer touches, as dive lists it: how many layers wrote or deleted it,
 * and the bytes counted across them (see {@link Efficiency}).
 */
public record Inefficiency(String path, int count, long cumulativeBytes) {

  public Inefficiency {
    Objects.requireNonNull(path, "path");
  }
}
