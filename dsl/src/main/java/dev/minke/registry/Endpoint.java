package dev.minke.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * One protocol action of the distribution API. {@link Transport} sends it (with auth, retries and
 * redirects) and hands the response to {@link #handle} when {@link #accepts} its status.
 *
 * <p>The request is built anew for every attempt, so an endpoint can change it between
 * attempts (a resumed download adds {@code Range}).
 */
interface Endpoint<T> {
  /** What the action is, for messages: "pulling manifest", "uploading blob sha256:…". */
  String action();

  String method();

  /** The URL, relative to {@code base} ({@code http(s)://host}) unless the endpoint has an absolute one. */
  URI uri(URI base);

  /** The repository the action is on ("" for registry-wide calls). */
  String repository();

  /** What token the action needs. */
  List<Scope> scopes();

  default Map<String, String> headers() {
    return Map.of();
  }

  default HttpRequest.BodyPublisher body() {
    return HttpRequest.BodyPublishers.noBody();
  }

  /** Whether the request body may be sent more than once (retry or auth challenge). */
  default boolean replayable() {
    return true;
  }

  boolean accepts(int status);

  T handle(HttpResponse<InputStream> response) throws IOException;

  /** Turns a generic failure into the endpoint's own type (404 on a manifest → unknown). */
  default RegistryException mapError(RegistryException error) {
    return error;
  }

  /** The {@code path} under {@code /v2/<repository>/}, e.g. {@code manifests/latest}. */
  static URI v2(URI base, String repository, String path) {
    return base.resolve("/v2/" + repository + "/" + path);
  }
}
