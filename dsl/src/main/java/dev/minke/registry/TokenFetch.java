package dev.minke.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The token request of Docker's token auth: {@code GET realm?service=…&scope=…} (one {@code scope}
 * per repository, so a cross-repository mount asks for pull on the source too), with Basic
 * credentials when there are any. The realm and every redirect pass {@link RealmGuard}; the
 * answer is read up to 64 KiB.
 */
final class TokenFetch {
  static final int MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
  /** Tokens without {@code expires_in} last 60 s (the token spec's default). */
  static final long DEFAULT_EXPIRES_SECONDS = 60;
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final String registryHost;
  private final long timeoutMillis;

  TokenFetch(HttpClient http, String registryHost, long timeoutMillis) {
    this.http = http;
    this.registryHost = registryHost;
    this.timeoutMillis = timeoutMillis;
  }

  Token fetch(Challenge challenge, List<Scope> scopes, Optional<Credential> credential, String repository) {
    String realm = challenge.param("realm");
    if (realm == null || realm.isEmpty()) {
      throw new RegistryAuthException(registryHost, repository, 401, List.of(),
          "its Bearer challenge names no realm to get a token from");
    }
    URI uri = withQuery(URI.create(realm), challenge.param("service"), scopes);
    for (int redirects = 0; ; redirects++) {
      RealmGuard.check(uri, registryHost, repository);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
          .timeout(Duration.ofMillis(timeoutMillis)).header("User-Agent", Transport.USER_AGENT);
      // Credentials go to the realm the registry named, never to a host a redirect picked.
      if (redirects == 0) {
        credential.ifPresent(c -> request.header("Authorization", c.basicHeader()));
      }
      HttpResponse<InputStream> response;
      byte[] body;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        body = Transport.readCapped(response.body(), MAX_TOKEN_RESPONSE_BYTES, "token response");
      } catch (IOException e) {
        RegistryException error = new RegistryException(registryHost, repository, 0, List.of(),
            "getting a token from " + uri.getHost() + " for " + registryHost + " failed: " + e, "check the network", e);
        throw Retry.isTemporary(e) ? error : error.permanent();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(registryHost, repository, 0, List.of(), "interrupted getting a token", "", e);
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()
          && redirects < MAX_REDIRECTS) {
        uri = uri.resolve(response.headers().firstValue("Location").get());
        continue;
      }
      if (status == 401 || status == 403) {
        List<RegistryErrors.Diagnostic> errors = RegistryErrors.parse(body);
        throw new RegistryAuthException(registryHost, repository, status,
            errors.stream().map(RegistryErrors.Diagnostic::code).toList(),
            credential.isPresent() ? "the token service refused the credentials" : "the token service wants credentials");
      }
      if (status != 200) {
        throw RegistryException.of(registryHost, repository, "getting a token from " + uri.getHost() + " for",
            status, RegistryErrors.parse(body));
      }
      return parse(body, repository);
    }
  }

  private Token parse(byte[] body, String repository) {
    try {
      JsonNode json = Json.mapper().readTree(body);
      String token = json.path("token").asText("");
      if (token.isEmpty()) {
        token = json.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new IOException("no token or access_token field");
      }
      long expiresIn = json.path("expires_in").asLong(DEFAULT_EXPIRES_SECONDS);
      if (expiresIn <= 0) {
        expiresIn = DEFAULT_EXPIRES_SECONDS;
      }
      // Renew early (5 s, or half the lifetime of a short token) so that a token does not run out
      // between the check and the request.
      long margin = Math.min(5, expiresIn / 2);
      return new Token(token, System.currentTimeMillis() + (expiresIn - margin) * 1000);
    } catch (IOException e) {
      throw new RegistryException(registryHost, repository, 200, List.of(),
          "the token response for " + registryHost + " is malformed: " + e.getMessage(),
          "check the registry's token service", e);
    }
  }

  static URI withQuery(URI realm, String service, List<Scope> scopes) {
    StringBuilder query = new StringBuilder(realm.getRawQuery() == null ? "" : realm.getRawQuery());
    if (service != null && !service.isEmpty()) {
      append(query, "service", service);
    }
    for (Scope scope : scopes) {
      append(query, "scope", scope.toString());
    }
    String text = realm.toString();
    int q = text.indexOf('?');
    String head = q < 0 ? text : text.substring(0, q);
    return URI.create(query.length() == 0 ? head : head + "?" + query);
  }

  private static void append(StringBuilder query, String name, String value) {
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
