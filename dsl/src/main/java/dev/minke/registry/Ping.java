package dev.minke.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code GET /v2/}: whether the registry speaks the API and accepts the credentials (login). */
final class Ping implements Endpoint<Integer> {
  @Override
  public String action() {
    return "logging in to";
  }

  @Override
  public String method() {
    return "GET";
  }

  @Override
  public URI uri(URI base) {
    return base.resolve("/v2/");
  }

  @Override
  public String repository() {
    return "";
  }

  @Override
  public List<Scope> scopes() {
    return List.of();
  }

  @Override
  public boolean accepts(int status) {
    return status == 200;
  }

  @Override
  public Integer handle(HttpResponse<InputStream> response) {
    return response.statusCode();
  }
}
