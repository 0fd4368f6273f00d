package dev.minke.registry;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Uploads one blob: {@code POST /v2/<name>/blobs/uploads/} (with {@code ?mount=&from=} to mount it
 * from another repository of the same registry: 201 means done, 202 means the registry opened an
 * ordinary upload instead), then either one {@code PUT <location>?digest=} with the whole blob or,
 * above the chunk threshold, {@code PATCH} chunks with {@code Content-Range} and a final {@code
 * PUT}. A temporary failure starts the upload again from the POST: an upload session that saw a
 * failed request is not trusted to continue.
 */
final class BlobUpload {
  /** How a blob got into the repository. */
  enum Outcome {
    MOUNTED,
    UPLOADED
  }

  private final Transport transport;
  private final String repository;
  private final Descriptor blob;
  private final Supplier<InputStream> content;
  private final String mountFrom;
  private final LongConsumer progress;

  BlobUpload(Transport transport, String repository, Descriptor blob, Supplier<InputStream> content,
      String mountFrom, LongConsumer progress) {
    this.transport = transport;
    this.repository = repository;
    this.blob = blob;
    this.content = content;
    this.mountFrom = mountFrom;
    this.progress = progress;
  }

  Outcome run() {
    RegistryOptions options = transport.options();
    for (int attempt = 0; ; attempt++) {
      long sentBefore = sent;
      try {
        Started started = transport.call(new Start(attempt == 0 ? mountFrom : null));
        if (started.mounted()) {
          return Outcome.MOUNTED;
        }
        if (blob.size() > options.chunkThresholdBytes()) {
          uploadChunked(started.location(), options.chunkSizeBytes());
        } else {
          transport.call(new Put(started.location(), true));
        }
        return Outcome.UPLOADED;
      } catch (RegistryException e) {
        if (!e.temporary() || attempt >= options.retries()) {
          throw e;
        }
        progress.accept(-(sent - sentBefore)); // The next attempt sends those bytes again.
        sent = sentBefore;
        sleep(Retry.backoffMillis(options.backoffMillis(), attempt + 1, e.retryAfterMillis()));
      }
    }
  }

  private long sent;

  private void uploadChunked(URI location, int chunkSizeBytes) {
    URI next = location;
    try (InputStream in = content.get()) {
      long offset = 0;
      while (offset < blob.size()) {
        byte[] chunk = in.readNBytes((int) Math.min(chunkSizeBytes, blob.size() - offset));
        if (chunk.length == 0) {
          throw new UncheckedIOException(new IOException("blob " + blob.digest() + " ended after " + offset
              + " of " + blob.size() + " bytes while uploading"));
        }
        next = transport.call(new Patch(next, chunk, offset));
        offset += chunk.length;
        sent += chunk.length;
        progress.accept(chunk.length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    transport.call(new Put(next, false));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.minke.error.MinkeException("interrupted while uploading", "", e);
    }
  }

  /** The Location of an upload session, resolved against the request, plus a query parameter. */
  static URI withParam(URI location, String name, String value) {
    String text = location.toString();
    return URI.create(text + (text.contains("?") ? "&" : "?") + name + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private record Started(boolean mounted, URI location) {}

  private URI location(HttpResponse<InputStream> response, URI requested) throws IOException {
    String header = response.headers().firstValue("Location")
        .orElseThrow(() -> new IOException("the registry opened an upload without a Location header"));
    return requested.resolve(header);
  }

  private abstract class Step<T> implements Endpoint<T> {
    @Override
    public String repository() {
      return repository;
    }

    @Override
    public String action() {
      return "pushing blob " + blob.digest() + " to";
    }

    @Override
    public List<Scope> scopes() {
      List<Scope> scopes = new ArrayList<>(List.of(Scope.push(repository)));
      if (mountFrom != null) {
        scopes.add(Scope.pull(mountFrom)); // The same token then serves the mount and the upload.
      }
      return scopes;
    }
  }

  /** POST uploads/, optionally mounting. */
  private final class Start extends Step<Started> {
    private final String from;
    private URI requested;

    Start(String from) {
      this.from = from;
    }

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public URI uri(URI base) {
      URI uri = Endpoint.v2(base, repository, "blobs/uploads/");
      if (from != null) {
        uri = withParam(withParam(uri, "mount", blob.digest().toString()), "from", from);
      }
      requested = uri;
      return uri;
    }

    @Override
    public boolean accepts(int status) {
      return status == 201 || status == 202;
    }

    @Override
    public Started handle(HttpResponse<InputStream> response) throws IOException {
      if (response.statusCode() == 201 && from != null) {
        return new Started(true, null);
      }
      return new Started(false, location(response, requested));
    }
  }

  /** PATCH one chunk; returns the next Location. */
  private final class Patch extends Step<URI> {
    private final URI location;
    private final byte[] chunk;
    private final long offset;

    Patch(URI location, byte[] chunk, long offset) {
      this.location = location;
      this.chunk = chunk;
      this.offset = offset;
    }

    @Override
    public String method() {
      return "PATCH";
    }

    @Override
    public URI uri(URI base) {
      return location;
    }

    @Override
    public Map<String, String> headers() {
      return Map.of("Content-Type", "application/octet-stream",
          "Content-Range", offset + "-" + (offset + chunk.length - 1));
    }

    @Override
    public HttpRequest.BodyPublisher body() {
      return HttpRequest.BodyPublishers.ofByteArray(chunk);
    }

    @Override
    public boolean replayable() {
      return false; // The session's offset may have moved: the whole upload starts again.
    }

    @Override
    public boolean accepts(int status) {
      return status == 202 || status == 204;
    }

    @Override
    public URI handle(HttpResponse<InputStream> response) throws IOException {
      return location(response, location);
    }
  }

  /** PUT location?digest=, with the whole blob (monolithic) or nothing (after chunks). */
  private final class Put extends Step<Digest> {
    private final URI location;
    private final boolean withContent;

    Put(URI location, boolean withContent) {
      this.location = location;
      this.withContent = withContent;
    }

    @Override
    public String method() {
      return "PUT";
    }

    @Override
    public URI uri(URI base) {
      return withParam(location, "digest", blob.digest().toString());
    }

    @Override
    public Map<String, String> headers() {
      return Map.of("Content-Type", "application/octet-stream");
    }

    @Override
    public HttpRequest.BodyPublisher body() {
      if (!withContent) {
        return HttpRequest.BodyPublishers.noBody();
      }
      // Content-Length is set: some registries refuse chunked transfer encoding on uploads.
      return HttpRequest.BodyPublishers.fromPublisher(
          HttpRequest.BodyPublishers.ofInputStream(() -> new Counting(content.get())), blob.size());
    }

    @Override
    public boolean replayable() {
      return !withContent;
    }

    @Override
    public boolean accepts(int status) {
      return status == 201 || status == 204;
    }

    @Override
    public Digest handle(HttpResponse<InputStream> response) {
      return blob.digest();
    }
  }

  /** Counts the bytes the HTTP client reads for progress. */
  private final class Counting extends FilterInputStream {
    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        sent++;
        progress.accept(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        sent += n;
        progress.accept(n);
      }
      return n;
    }
  }
}
