package dev.minke.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The auth state of one registry host: the challenge it last sent and the bearer tokens it gave,
 * one per set of scopes, reused until they expire or the registry refuses them.
 *
 * <p>The first request goes out anonymous; the 401 it gets tells which scheme the registry wants.
 * From then on every request carries the right header from the start.
 */
final class Authenticator {
  private final String registryHost;
  private final Supplier<Optional<Credential>> credentials;
  private final TokenFetch tokenFetch;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile Challenge challenge;
  private volatile Optional<Credential> credential;

  Authenticator(String registryHost, Supplier<Optional<Credential>> credentials, TokenFetch tokenFetch) {
    this.registryHost = registryHost;
    this.credentials = credentials;
    this.tokenFetch = tokenFetch;
  }

  /** The Authorization header for these scopes, or null to go anonymous. */
  String authorization(List<Scope> scopes, String repository) {
    Challenge current = challenge;
    if (current == null) {
      return null;
    }
    if (current.isBasic()) {
      return credential().map(Credential::basicHeader).orElse(null);
    }
    String key = key(scopes);
    Token token = tokens.get(key);
    if (token == null || token.expired(System.currentTimeMillis())) {
      token = tokenFetch.fetch(current, scopes, credential(), repository);
      tokens.put(key, token);
    }
    return "Bearer " + token.value();
  }

  /**
   * Takes in a 401's challenge. A token that was refused is dropped, so the retry fetches a fresh
   * one (a token that expired early, or one for fewer scopes).
   */
  void challenged(String header, List<Scope> scopes, String repository) {
    Challenge parsed = Challenge.parse(header).orElseThrow(() -> new RegistryAuthException(
        registryHost, repository, 401, List.of(), "the registry sent no WWW-Authenticate challenge"));
    if (!parsed.isBearer() && !parsed.isBasic()) {
      throw new RegistryAuthException(registryHost, repository, 401, List.of(),
          "the registry wants the unsupported auth scheme " + parsed.scheme());
    }
    if (parsed.isBasic() && credential().isEmpty()) {
      throw new RegistryAuthException(registryHost, repository, 401, List.of(), "no credentials for it");
    }
    challenge = parsed;
    tokens.remove(key(scopes));
  }

  private Optional<Credential> credential() {
    Optional<Credential> known = credential;
    if (known == null) {
      known = credentials.get();
      credential = known;
    }
    return known;
  }

  private static String key(List<Scope> scopes) {
    return String.join(" ", scopes.stream().map(Scope::toString).sorted().toList());
  }
}
