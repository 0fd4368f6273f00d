package dev.minke.store;

import dev.minke.error.MinkeException;

/** No image in the store answers to the name or ID the caller gave. */
public class ImageNotFoundException extends MinkeException {
  private final String name;

  public ImageNotFoundException(String name) {
    this(name, null, null);
  }

  /** The store lacks the image and pulling it failed too; the hint says why the pull failed. */
  public ImageNotFoundException(String name, String pullFailure, Throwable cause) {
    super(
        "no image \"" + name + "\" in the store",
        (pullFailure == null ? "" : "pulling it failed: " + pullFailure + "; ")
            + "`minke images` lists what the store has; import, load, pull or build it first"
            + (name.contains("busybox") ? " (`minke busybox` makes the offline busybox image)" : ""),
        cause);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
