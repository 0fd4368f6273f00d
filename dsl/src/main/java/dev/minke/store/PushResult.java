package dev.minke.store;

import dev.minke.image.Digest;
import dev.minke.registry.Reference;

/** What a push did: the manifest digest the target now names, and how each blob got there. */
public record PushResult(Reference target, Digest digest, int blobsUploaded, int blobsMounted,
    int blobsExisted, long bytesUploaded) {}
