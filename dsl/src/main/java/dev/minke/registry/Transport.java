package dev.minke.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sends {@link Endpoint}s to one registry host: adds auth (answering 401 challenges once per
 * attempt), follows redirects (without credentials to other hosts: blob storage behind a registry
 * must not see its tokens), turns error responses into {@link RegistryException}s and retries
 * what {@link Retry} calls temporary, with backoff.
 */
final class Transport {
  static final String USER_AGENT = "minke/0.1 (java.net.http)";
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 10;

  private final HttpClient http;
  /** Plain http is upgraded to https, once, when the registry says it speaks TLS only. */
  private volatile URI base;
  private final String registryHost;
  private final RegistryOptions options;
  private final Authenticator auth;

  Transport(HttpClient http, URI base, String registryHost, RegistryOptions options, Authenticator auth) {
    this.http = http;
    this.base = base;
    this.registryHost = registryHost;
    this.options = options;
    this.auth = auth;
  }

  /** {@code http(s)://host[:port]}, where the API lives. */
  URI base() {
    return base;
  }

  String registryHost() {
    return registryHost;
  }

  RegistryOptions options() {
    return options;
  }

  /** Sends the endpoint, retrying temporary failures; returns what it made of the response. */
  <T> T call(Endpoint<T> endpoint) {
    for (int attempt = 0; ; attempt++) {
      try {
        return attempt(endpoint);
      } catch (RegistryException | IOException e) {
        if (!Retry.isTemporary(e) || attempt >= options.retries() || !endpoint.replayable()) {
          RegistryException error = asRegistryException(endpoint, e);
          throw Retry.isTemporary(e) ? error : error.permanent();
        }
        long retryAfter = e instanceof RegistryException r ? r.retryAfterMillis() : 0;
        sleep(Retry.backoffMillis(options.backoffMillis(), attempt + 1, retryAfter), endpoint);
      }
    }
  }

  private <T> T attempt(Endpoint<T> endpoint) throws IOException {
    URI uri = endpoint.uri(base);
    boolean challenged = false;
    boolean upgraded = false;
    for (int redirects = 0; ; ) {
      boolean ownHost = Objects.equals(uri.getRawAuthority(), base.getRawAuthority());
      String authorization = ownHost ? auth.authorization(endpoint.scopes(), endpoint.repository()) : null;
      HttpResponse<InputStream> response = send(endpoint, uri, authorization);
      int status = response.statusCode();
      if (status == 401 && ownHost && !challenged && endpoint.replayable()) {
        drain(response);
        auth.challenged(response.headers().firstValue("WWW-Authenticate").orElse(null),
            endpoint.scopes(), endpoint.repository());
        challenged = true;
        continue;
      }
      var location = response.headers().firstValue("Location");
      if (REDIRECTS.contains(status) && location.isPresent()
          && (endpoint.method().equals("GET") || endpoint.method().equals("HEAD"))) {
        drain(response);
        if (++redirects > MAX_REDIRECTS) {
          throw RegistryException.of(registryHost, endpoint.repository(), endpoint.action() + " (more than "
              + MAX_REDIRECTS + " redirects) at", status, List.of());
        }
        uri = uri.resolve(location.get());
        continue;
      }
      if (endpoint.accepts(status)) {
        try (InputStream body = response.body()) {
          return endpoint.handle(response);
        }
      }
      byte[] body = readCapped(response.body(), RegistryErrors.MAX_BODY_BYTES, "error body");
      if (status == 400 && ownHost && !upgraded && "http".equals(base.getScheme())
          && speaksTlsOnly(body.length == 0 ? probeV2Body() : body)) {
        // A loopback or insecure-listed registry is tried over plain http first; one that serves
        // TLS only says so in a 400. Nothing secret was sent: the first request is anonymous.
        base = URI.create("https://" + base.getRawAuthority());
        uri = endpoint.uri(base);
        upgraded = true;
        continue;
      }
      List<RegistryErrors.Diagnostic> errors = RegistryErrors.parse(body);
      if (status == 401 || status == 403) {
        throw new RegistryAuthException(registryHost, endpoint.repository(), status,
            errors.stream().map(RegistryErrors.Diagnostic::code).toList(), RegistryErrors.describe(errors));
      }
      RegistryException error = RegistryException.of(registryHost, endpoint.repository(), endpoint.action(),
          status, errors);
      error.withRetryAfterMillis(Retry.retryAfterMillis(response.headers().firstValue("Retry-After").orElse(null)));
      throw endpoint.mapError(error);
    }
  }

  /** Go's and nginx's answers to a plain-http request on a TLS port. */
  static boolean speaksTlsOnly(byte[] body) {
    String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    return text.contains("HTTP request to an HTTPS server") || text.contains("plain HTTP request was sent to HTTPS port");
  }

  /** The body of a plain {@code GET /v2/}, for a HEAD's 400 that has none; empty if it fails. */
  private byte[] probeV2Body() {
    try {
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/v2/"))
          .timeout(Duration.ofMillis(options.timeoutMillis())).header("User-Agent", USER_AGENT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      return readCapped(response.body(), RegistryErrors.MAX_BODY_BYTES, "error body");
    } catch (IOException e) {
      return new byte[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new byte[0];
    }
  }

  private HttpResponse<InputStream> send(Endpoint<?> endpoint, URI uri, String authorization)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(endpoint.method(), endpoint.body())
        .header("User-Agent", USER_AGENT);
    if (!endpoint.method().equals("PUT") && !endpoint.method().equals("PATCH")) {
      // Uploads may take long; for the rest the timeout bounds the wait for the response headers.
      request.timeout(Duration.ofMillis(options.timeoutMillis()));
    }
    for (Map.Entry<String, String> header : endpoint.headers().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted");
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  private RegistryException asRegistryException(Endpoint<?> endpoint, Exception e) {
    if (e instanceof RegistryException registry) {
      return registry;
    }
    String hint = options.schemeFor(registryHost).equals("https")
        ? "check the network and the registry's address; a registry without TLS must be listed in"
            + " MINKE_INSECURE_REGISTRIES"
        : "check that the registry runs and listens on " + base;
    return new RegistryException(registryHost, endpoint.repository(), 0, List.of(),
        endpoint.action() + " " + RegistryException.where(registryHost, endpoint.repository())
            + " failed: cannot reach " + base + " (" + e + ")", hint, e);
  }

  private void sleep(long millis, Endpoint<?> endpoint) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.minke.error.MinkeException(endpoint.action() + " was interrupted", "", e);
    }
  }

  static void drain(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      body.skip(RegistryErrors.MAX_BODY_BYTES);
    } catch (IOException ignored) {
      // The connection is dropped instead of reused; nothing else is lost.
    }
  }

  /** Reads at most {@code max} bytes; more is an error, so a hostile server cannot fill memory. */
  static byte[] readCapped(InputStream in, int max, String what) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > max) {
          throw new CappedBodyException(what + " is larger than " + max + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** A body over its cap: the server's doing, so not worth retrying. */
  static final class CappedBodyException extends IOException {
    CappedBodyException(String message) {
      super(message);
    }
  }
}
