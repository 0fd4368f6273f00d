package dev.minke.image;

import dev.minke.os.Posix;

/**
 * How {@link LayerApplier} writes a layer.
 *
 * @param mode FLAT onto a full root file system, or OVERLAY into an overlayfs layer directory
 * @param allowDevices whether char/block devices and FIFOs are created (they are skipped into
 *     the report otherwise); only takes effect when running as root
 * @param maxEntryBytes entries whose header declares more bytes than this are refused
 */
public record ApplyOptions(Mode mode, boolean allowDevices, long maxEntryBytes) {
  /** 1 TiB: far beyond any real layer file, far below what a forged size field can claim. */
  public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 40;

  /** Where the layer is applied, which decides how whiteouts are written. */
  public enum Mode {
    /** Onto a full root file system: whiteouts delete what lower layers put there. */
    FLAT,
    /** Into an overlayfs layer directory: whiteouts become char 0/0 and opaque xattrs. */
    OVERLAY
  }

  public ApplyOptions {
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (maxEntryBytes < 0) {
      throw new IllegalArgumentException("maxEntryBytes " + maxEntryBytes + " is negative");
    }
  }

  /** FLAT, devices allowed when running as root. */
  public static ApplyOptions defaults() {
    return new ApplyOptions(Mode.FLAT, Posix.isRoot(), DEFAULT_MAX_ENTRY_BYTES);
  }

  /** OVERLAY, devices allowed when running as root. */
  public static ApplyOptions overlay() {
    return defaults().withMode(Mode.OVERLAY);
  }

  public ApplyOptions withMode(Mode mode) {
    return new ApplyOptions(mode, allowDevices, maxEntryBytes);
  }

  public ApplyOptions withAllowDevices(boolean allowDevices) {
    return new ApplyOptions(mode, allowDevices, maxEntryBytes);
  }

  public ApplyOptions withMaxEntryBytes(long maxEntryBytes) {
    return new ApplyOptions(mode, allowDevices, maxEntryBytes);
  }
}
