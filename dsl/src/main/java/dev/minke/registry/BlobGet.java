package dev.minke.registry;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, streamed into the caller's sink while hashed. A retry
 * after a broken connection asks only for the rest ({@code Range: bytes=N-}); a server that
 * ignores the range sends everything again and the part already written is skipped. The end
 * must hash to the digest and match the size, and more than the size is never read.
 *
 * <p>One instance is one download: its state (bytes so far, the hash) carries across attempts,
 * and across the mirror and Docker Hub.
 */
final class BlobGet implements Endpoint<Long> {
  private final String repository;
  private final Descriptor blob;
  private final OutputStream sink;
  private final LongConsumer progress;
  private final MessageDigest hasher;
  private long receivedBytes;
  private String registryHost = "";

  BlobGet(String repository, Descriptor blob, OutputStream sink, LongConsumer progress) {
    this.repository = repository;
    this.blob = blob;
    this.sink = sink;
    this.progress = progress;
    this.hasher = blob.digest().newHasher();
  }

  /** Names the host in errors about the content (the download may move to another host). */
  BlobGet from(String host) {
    this.registryHost = host;
    return this;
  }

  @Override
  public String action() {
    return "pulling blob " + blob.digest() + " from";
  }

  @Override
  public String method() {
    return "GET";
  }

  @Override
  public URI uri(URI base) {
    return Endpoint.v2(base, repository, "blobs/" + blob.digest());
  }

  @Override
  public String repository() {
    return repository;
  }

  @Override
  public List<Scope> scopes() {
    return List.of(Scope.pull(repository));
  }

  @Override
  public Map<String, String> headers() {
    return receivedBytes > 0 ? Map.of("Range", "bytes=" + receivedBytes + "-") : Map.of();
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 206;
  }

  @Override
  public Long handle(HttpResponse<InputStream> response) throws IOException {
    InputStream in = response.body();
    if (response.statusCode() == 206) {
      long start = rangeStart(response.headers().firstValue("Content-Range").orElse(""));
      if (start != receivedBytes) {
        throw new RegistryContentException(registryHost, repository, blob.digest(),
            "asked for bytes from " + receivedBytes + ", the registry sent them from " + start);
      }
    } else if (receivedBytes > 0) {
      in.skipNBytes(receivedBytes); // The whole blob again: what was written already stays.
    }
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = readOrEnd(in, buffer)) > 0) {
      if (receivedBytes + n > blob.size()) {
        throw new RegistryContentException(registryHost, repository, blob.digest(),
            "it is longer than the " + blob.size() + " bytes its descriptor says");
      }
      try {
        sink.write(buffer, 0, n);
      } catch (IOException e) {
        // The sink (the store's disk) failed: not the network, so no retry.
        throw new UncheckedIOException(e);
      }
      hasher.update(buffer, 0, n);
      receivedBytes += n;
      progress.accept(n);
    }
    if (receivedBytes < blob.size()) {
      throw new IOException("blob " + blob.digest() + " ended after " + receivedBytes + " of " + blob.size() + " bytes");
    }
    Digest actual = new Digest(blob.digest().algorithm(), HexFormat.of().formatHex(hasher.digest()));
    if (!actual.equals(blob.digest())) {
      throw new RegistryContentException(registryHost, repository, blob.digest(), "its bytes hash to " + actual);
    }
    return receivedBytes;
  }

  /**
   * One read of the body. A body that breaks after every byte of the blob arrived (a wrong
   * Content-Length, a connection closed early) has still delivered the blob: the digest decides,
   * and a resume would ask for a range past the end, which registries refuse with 416.
   */
  private int readOrEnd(InputStream in, byte[] buffer) throws IOException {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      if (receivedBytes == blob.size()) {
        return -1;
      }
      throw e;
    }
  }

  long receivedBytes() {
    return receivedBytes;
  }

  /** {@code bytes 100-199/200} → 100. */
  static long rangeStart(String contentRange) {
    String text = contentRange.strip();
    if (text.startsWith("bytes ")) {
      text = text.substring(6);
    }
    int dash = text.indexOf('-');
    try {
      return dash < 0 ? -1 : Long.parseLong(text.substring(0, dash).strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
