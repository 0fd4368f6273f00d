package dev.minke.store;

/** When to ask the registry, as Docker's {@code --pull}. */
public enum PullPolicy {
  /** Always fetch the manifest; blobs the store has are not fetched again. */
  ALWAYS,
  /** Only when the store has no image under the name (Docker's default). */
  MISSING,
  /** Never: the image must be in the store. */
  NEVER;

  /** {@code always}, {@code missing} or {@code never}, as {@code docker build --pull} spells them. */
  public static PullPolicy parse(String text) {
    for (PullPolicy policy : values()) {
      if (policy.name().equalsIgnoreCase(text.strip())) {
        return policy;
      }
    }
    throw new IllegalArgumentException("pull policy \"" + text + "\" must be always, missing or never");
  }
}
