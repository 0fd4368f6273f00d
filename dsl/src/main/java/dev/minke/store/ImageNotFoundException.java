package dev.minke.store;

import dev.minke.error.MinkeException;

/** No image in the store answers to the name or ID the caller gave. */
public class ImageNotFoundException extends MinkeException {
  private final String name;

  public ImageNotFoundException(String name) {
    super(
        "no image \"" + name + "\" in the store",
        "`minke images` lists what the store has; import, load or build it first"
            + (name.contains("busybox") ? " (`minke busybox` makes the offline busybox image)" : ""));
    this.name = name;
  }

  public String name() {
    return name;
  }
}
