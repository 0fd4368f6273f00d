package dev.minke.image;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * How {@link DirectoryLayers} turns a host directory into layer entries.
 *
 * @param destination where the directory lands in the layer, e.g. {@code "app/src"}; {@code ""}
 *     is the root. Leading and trailing slashes are ignored.
 * @param filter which paths to keep, given slash-separated and relative to the source directory;
 *     a rejected directory is skipped with everything under it
 * @param preserveOwnership keep the host uid/gid; otherwise every entry is owned by 0:0
 * @param ownerOverride an owner for every entry ({@code COPY --chown}); wins over the above
 * @param modeOverride permission bits for every entry but symlinks ({@code COPY --chmod})
 * @param readXattrs keep {@code user.*} and {@code security.capability} attributes
 */
public record DirectoryLayerOptions(
    String destination,
    Predicate<String> filter,
    boolean preserveOwnership,
    Optional<Owner> ownerOverride,
    OptionalInt modeOverride,
    boolean readXattrs) {

  /** A numeric owner. */
  public record Owner(long uid, long gid) {}

  public DirectoryLayerOptions {
    destination = trimSlashes(Objects.requireNonNull(destination, "destination"));
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(ownerOverride, "ownerOverride");
    Objects.requireNonNull(modeOverride, "modeOverride");
  }

  /** Into the layer root, everything kept, owned by 0:0, host modes, no xattrs. */
  public static DirectoryLayerOptions defaults() {
    return new DirectoryLayerOptions(
        "", path -> true, false, Optional.empty(), OptionalInt.empty(), false);
  }

  public DirectoryLayerOptions withDestination(String newDestination) {
    return new DirectoryLayerOptions(
        newDestination, filter, preserveOwnership, ownerOverride, modeOverride, readXattrs);
  }

  public DirectoryLayerOptions withFilter(Predicate<String> newFilter) {
    return new DirectoryLayerOptions(
        destination, newFilter, preserveOwnership, ownerOverride, modeOverride, readXattrs);
  }

  public DirectoryLayerOptions withPreserveOwnership(boolean preserve) {
    return new DirectoryLayerOptions(
        destination, filter, preserve, ownerOverride, modeOverride, readXattrs);
  }

  public DirectoryLayerOptions withOwnerOverride(long uid, long gid) {
    return new DirectoryLayerOptions(
        destination, filter, preserveOwnership, Optional.of(new Owner(uid, gid)), modeOverride,
        readXattrs);
  }

  public DirectoryLayerOptions withModeOverride(int mode) {
    return new DirectoryLayerOptions(
        destination, filter, preserveOwnership, ownerOverride, OptionalInt.of(mode), readXattrs);
  }

  public DirectoryLayerOptions withReadXattrs(boolean read) {
    return new DirectoryLayerOptions(
        destination, filter, preserveOwnership, ownerOverride, modeOverride, read);
  }

  private static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    String trimmed = path.substring(start, end);
    return trimmed.equals(".") ? "" : trimmed;
  }
}
