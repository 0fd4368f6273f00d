package dev.minke.image;

/**
 * What writing a layer produced: its diffId (sha256 of the tar), its digest (sha256 of the
 * compressed blob), both sizes and its media type.
 */
public record LayerBlob(
    Digest diffId,
    Digest digest,
    long compressedSizeBytes,
    long uncompressedSizeBytes,
    String mediaType) {

  /** The manifest descriptor of this blob. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, compressedSizeBytes);
  }
}
