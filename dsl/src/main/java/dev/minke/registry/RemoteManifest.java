package dev.minke.registry;

import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.image.MediaType;

/**
 * A manifest or index as a registry served it: the exact bytes (their digest is the image's
 * name, so they are stored as they came), the media type and the digest.
 */
public record RemoteManifest(Digest digest, String mediaType, byte[] bytes) {
  public RemoteManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public long sizeBytes() {
    return bytes.length;
  }

  /** Whether this is an image index (or Docker manifest list) rather than one image. */
  public boolean isIndex() {
    return MediaType.isIndex(mediaType);
  }

  public Index index() {
    return Json.read(bytes, Index.class);
  }

  public Manifest manifest() {
    return Json.read(bytes, Manifest.class);
  }

  @Override
  public String toString() {
    return "RemoteManifest[" + mediaType + " " + digest + ", " + bytes.length + " bytes]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RemoteManifest m && m.digest.equals(digest) && m.mediaType.equals(mediaType);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }
}
