package dev.minke.store;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.registry.Reference;
import java.util.Optional;

/**
 * What a pull stored: the image's manifest (the descriptor the store's index holds), the digest
 * of the index it was chosen from when the name pointed at one (Docker shows that one as the
 * image's digest), and what moved.
 */
public record PullResult(
    Reference reference, Descriptor manifest, Optional<Digest> indexDigest, int blobsFetched,
    int blobsPresent, long bytesFetched) {

  /** The annotation on the stored entry that records the index the manifest came from. */
  public static final String INDEX_DIGEST = "dev.minke.image.index.digest";

  /** The digest a registry knows the name by: the index's if there was one, else the manifest's. */
  public Digest remoteDigest() {
    return indexDigest.orElse(manifest.digest());
  }

  /** Whether the store had everything and nothing was fetched (or the registry was not asked). */
  public boolean upToDate() {
    return blobsFetched == 0;
  }
}
