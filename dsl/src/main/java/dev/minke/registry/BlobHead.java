package dev.minke.registry;

import dev.minke.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository has the blob. */
final class BlobHead implements Endpoint<Boolean> {
  private final String repository;
  private final Digest digest;
  private final List<Scope> scopes;

  BlobHead(String repository, Digest digest, List<Scope> scopes) {
    this.repository = repository;
    this.digest = digest;
    this.scopes = scopes;
  }

  @Override
  public String action() {
    return "checking blob " + digest + " in";
  }

  @Override
  public String method() {
    return "HEAD";
  }

  @Override
  public URI uri(URI base) {
    return Endpoint.v2(base, repository, "blobs/" + digest);
  }

  @Override
  public String repository() {
    return repository;
  }

  @Override
  public List<Scope> scopes() {
    return scopes;
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 404;
  }

  @Override
  public Boolean handle(HttpResponse<InputStream> response) {
    return response.statusCode() == 200;
  }
}
