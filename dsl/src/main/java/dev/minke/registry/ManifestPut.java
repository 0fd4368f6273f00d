package dev.minke.registry;

import dev.minke.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** {@code PUT /v2/<name>/manifests/<tag|digest>} with the manifest's exact bytes. */
final class ManifestPut implements Endpoint<Digest> {
  private final Reference target;
  private final String mediaType;
  private final byte[] bytes;

  ManifestPut(Reference target, String mediaType, byte[] bytes) {
    this.target = target;
    this.mediaType = mediaType;
    this.bytes = bytes;
  }

  @Override
  public String action() {
    return "pushing manifest " + target.familiar() + " to";
  }

  @Override
  public String method() {
    return "PUT";
  }

  @Override
  public URI uri(URI base) {
    return Endpoint.v2(base, target.repository(), "manifests/" + ManifestGet.identifier(target));
  }

  @Override
  public String repository() {
    return target.repository();
  }

  @Override
  public List<Scope> scopes() {
    return List.of(Scope.push(target.repository()));
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Content-Type", mediaType);
  }

  @Override
  public HttpRequest.BodyPublisher body() {
    return HttpRequest.BodyPublishers.ofByteArray(bytes);
  }

  @Override
  public boolean accepts(int status) {
    return status == 201 || status == 200 || status == 202;
  }

  @Override
  public Digest handle(HttpResponse<InputStream> response) {
    // The digest of the bytes sent is the name; the registry's header, if any, must agree.
    return Digest.sha256(bytes);
  }
}
