package dev.minke.image;

import java.util.regex.Pattern;

/**
 * The media types of OCI and Docker schema 2 content, and how to tell them apart.
 *
 * <p>Minke writes OCI types and reads both: a Docker manifest, manifest list or layer is treated
 * as its OCI counterpart.
 */
public final class MediaType {
  // RFC 6838 section 4.2 names, as the image-spec schema (defs-descriptor.json) checks them.
  private static final Pattern RFC_6838 =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_FOREIGN_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  private MediaType() {}

  /** Whether a media type is a well-formed {@code type/subtype} (RFC 6838 section 4.2). */
  public static boolean isWellFormed(String mediaType) {
    return mediaType != null && RFC_6838.matcher(mediaType).matches();
  }

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  public static boolean isConfig(String mediaType) {
    return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
  }

  public static boolean isLayer(String mediaType) {
    return mediaType != null
        && (mediaType.startsWith("application/vnd.oci.image.layer.")
            || mediaType.startsWith("application/vnd.docker.image.rootfs."));
  }

  /** How a layer blob of this media type is compressed. */
  public static Compression compressionOf(String mediaType) {
    if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
      return Compression.ZSTD;
    }
    if (mediaType.endsWith("gzip")) {
      return Compression.GZIP;
    }
    return Compression.NONE;
  }

  /** The OCI layer media type for a compression. */
  public static String ociLayer(Compression compression) {
    return switch (compression) {
      case NONE -> OCI_LAYER_TAR;
      case GZIP -> OCI_LAYER_GZIP;
      case ZSTD -> OCI_LAYER_ZSTD;
    };
  }

  /** How a layer's tar stream is compressed. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }
}
