package dev.minke.image;

import dev.minke.error.MinkeException;

/** {@code SOURCE_DATE_EPOCH} is set but is not a whole number of seconds since the epoch. */
public final class InvalidSourceDateEpochException extends MinkeException {
  private final String value;

  public InvalidSourceDateEpochException(String value) {
    super(
        "invalid SOURCE_DATE_EPOCH \"" + value + "\": expected a non-negative whole number of "
            + "seconds since 1970-01-01 UTC",
        "set it to e.g. $(git log -1 --format=%ct), or unset it to use 0");
    this.value = value;
  }

  public String value() {
    return value;
  }
}
