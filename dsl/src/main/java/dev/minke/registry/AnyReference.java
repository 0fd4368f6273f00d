package dev.minke.registry;

/**
 * What Docker accepts where an image is expected: a named {@link Reference} or a bare {@link
 * DigestReference} (an image ID).
 */
public sealed interface AnyReference permits Reference, DigestReference {
  /** The short form Docker prints, e.g. {@code busybox:latest}. */
  String familiar();
}
