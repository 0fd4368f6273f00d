package dev.minke.dsl;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.LayerDiff;
import dev.minke.image.LayerListing;
import java.util.function.Supplier;

/**
 * One layer of an image: its blob (digest, compressed size), its diff ID and chain ID, the step
 * that made it, and on request what it added, changed and deleted.
 */
public final class Layer {
  private final int index;
  private final Descriptor blob;
  private final Digest diffId;
  private final Digest chainId;
  private final String createdBy;
  private final Supplier<LayerDiff> diff;
  private final Supplier<LayerListing> listing;

  Layer(int index, Descriptor blob, Digest diffId, Digest chainId, String createdBy,
      Supplier<LayerDiff> diff, Supplier<LayerListing> listing) {
    this.index = index;
    this.blob = blob;
    this.diffId = diffId;
    this.chainId = chainId;
    this.createdBy = createdBy;
    this.diff = diff;
    this.listing = listing;
  }

  /** Position in the stack, 0 = the bottom layer. */
  public int index() {
    return index;
  }

  /** The compressed blob's descriptor (digest, size, media type). */
  public Descriptor blob() {
    return blob;
  }

  public Digest digest() {
    return blob.digest();
  }

  /** sha256 of the uncompressed tar, as listed in the config's rootfs. */
  public Digest diffId() {
    return diffId;
  }

  /** The ID of this layer together with all below it; names its snapshot. */
  public Digest chainId() {
    return chainId;
  }

  public long compressedSizeBytes() {
    return blob.size();
  }

  /** The history text of the step that made this layer, e.g. {@code COPY src/ /app/}. */
  public String createdBy() {
    return createdBy;
  }

  /** What this layer added, modified and deleted relative to the layers below it. */
  public LayerDiff diff() {
    return diff.get();
  }

  /** Every entry of this layer's tar. */
  public LayerListing listing() {
    return listing.get();
  }

  /** Prints the diff as a table of paths. */
  public void show() {
    System.out.print(Texts.diffTable(this));
  }

  @Override
  public String toString() {
    return "Layer[" + index + " " + blob.digest().algorithm() + ":" + blob.digest().shortHex() + "… "
        + Texts.bytes(blob.size()) + " " + createdBy + "]";
  }
}
