package dev.minke.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token server of the {@code token} test registry: Docker's token authentication
 * (https://distribution.github.io/distribution/spec/auth/token/) in the test JVM, on
 * {@code http://127.0.0.1:PORT/token}.
 *
 * <p>{@code GET /token?service=S&scope=repository:NAME:pull,push[&scope=...]}, with Basic
 * credentials or without, answers {@code {"token": JWT, "access_token": JWT, "expires_in": N,
 * "issued_at": ...}}. {@code POST /token} with a form ({@code grant_type=password}, username,
 * password, service, scope), the OAuth2 variant containerd uses, answers the same. The one user
 * gets every action it asks for on any repository (and {@code registry:catalog:*}); an anonymous
 * request gets {@code pull} when {@link #anonymousPull(boolean)} is on, otherwise a token with no
 * access (the registry then says 401 {@code insufficient_scope}); wrong credentials get 401.
 *
 * <p>The JWT is signed RS256 or ES256 ({@link #signWith}); its header names the key by
 * {@code kid} (libtrust fingerprint of the key) or by {@code x5c} (the certificate), see
 * {@link #keyHeader}. Both certificates are in {@link #rootCertBundle()}, so all four combinations
 * work against the same registry without a restart.
 *
 * <p><b>Expiry.</b> distribution 2.8 accepts a token until 60 s ({@link #DISTRIBUTION_LEEWAY})
 * after its {@code exp} claim. So that the registry stops accepting a token exactly
 * {@link #lifetime()} after it was issued (what {@code expires_in} tells the client), the
 * {@code exp} claim is {@code iat + lifetime - 60 s}. Clients must treat the token as opaque and
 * rely on {@code expires_in} (and a 401), as the spec says.
 */
public final class TokenServer implements AutoCloseable {
  /** How long after {@code exp} (and before {@code nbf}) distribution 2.8 still accepts a token. */
  public static final Duration DISTRIBUTION_LEEWAY = Duration.ofSeconds(60);

  /** How the JWT header identifies the signing key. */
  public enum KeyHeader {
    /** {@code kid}: the libtrust key ID of the public key, matched against the root bundle. */
    KID,
    /** {@code x5c}: the signing certificate, verified against the root bundle. */
    X5C
  }

  /** One request the token server answered. {@code user} is null for an anonymous request. */
  public record TokenRequest(String method, String user, String service, List<String> scopes,
      List<String> granted, int status, String token) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String service;
  private final String issuer;
  private final Credentials user;
  private final TestCertificate rsa;
  private final TestCertificate ec;
  private final Path rootCertBundle;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<TokenRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failures = new AtomicInteger();
  private volatile int failureStatus;
  private volatile Duration lifetime = Duration.ofMinutes(5);
  private volatile boolean anonymousPull;
  private volatile TestCertificate.KeyType signingKey = TestCertificate.KeyType.RSA;
  private volatile KeyHeader keyHeader = KeyHeader.KID;

  private TokenServer(Path dir, String service, String issuer, Credentials user) throws IOException {
    this.service = service;
    this.issuer = issuer;
    this.user = user;
    this.rsa = TestCertificate.make(dir, "token-rsa", TestCertificate.KeyType.RSA, issuer, null);
    this.ec = TestCertificate.make(dir, "token-ec", TestCertificate.KeyType.EC, issuer, null);
    this.rootCertBundle = dir.resolve("token-roots.pem");
    Files.writeString(rootCertBundle, Files.readString(rsa.certificatePath())
        + Files.readString(ec.certificatePath()));
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "minke-test-token-server");
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(Tools.LOOPBACK, 0), 0);
    server.createContext("/token", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a token server on a free port; its certificates go to {@code dir}. */
  public static TokenServer start(Path dir, String service, String issuer, Credentials user) {
    try {
      return new TokenServer(dir, service, issuer, user);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT/token}, the registry's {@code realm}. */
  public URI realm() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  public String service() {
    return service;
  }

  public String issuer() {
    return issuer;
  }

  /** The one user that may push. */
  public Credentials user() {
    return user;
  }

  /** The registry's {@code rootcertbundle}: the RSA and the EC signing certificates. */
  public Path rootCertBundle() {
    return rootCertBundle;
  }

  public TestCertificate certificate(TestCertificate.KeyType type) {
    return type == TestCertificate.KeyType.RSA ? rsa : ec;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** How long tokens issued from now on are valid (default 5 minutes); any length above 0. */
  public TokenServer lifetime(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
    }
    this.lifetime = lifetime;
    return this;
  }

  /** Whether a request without credentials gets {@code pull} (default off). */
  public TokenServer anonymousPull(boolean allowed) {
    this.anonymousPull = allowed;
    return this;
  }

  /** Which key signs tokens from now on (default RSA, RS256). */
  public TokenServer signWith(TestCertificate.KeyType type) {
    this.signingKey = type;
    return this;
  }

  /** How the JWT header names its key from now on (default {@code kid}). */
  public TokenServer keyHeader(KeyHeader header) {
    this.keyHeader = header;
    return this;
  }

  /** The next {@code times} requests get {@code status} (e.g. 500, 503) and no token. */
  public TokenServer failNext(int status, int times) {
    this.failureStatus = status;
    failures.set(times);
    return this;
  }

  /** Every request answered so far, oldest first. */
  public List<TokenRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** How many tokens were issued so far. */
  public int issued() {
    return (int) requests().stream().filter(r -> r.token() != null).count();
  }

  public void clearLog() {
    requests.clear();
  }

  /**
   * Mints a token as the server would for {@code subject} (empty for anonymous) with exactly the
   * given grants, e.g. {@code "repository:test/img:pull"}; for tests that need a token the
   * server would not give (another repository, an expired one via a tiny lifetime).
   */
  public String mint(String subject, List<String> grants, Duration lifetime) {
    return sign(subject, grants, lifetime, Instant.now());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // --- the endpoint

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Map<String, List<String>> params = new LinkedHashMap<>();
      parseForm(exchange.getRequestURI().getRawQuery(), params);
      String presentedUser = null;
      String presentedPassword = null;
      if ("POST".equals(method)) {
        parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
            params);
        String grant = first(params, "grant_type");
        if (!"password".equals(grant)) {
          respond(exchange, method, null, params, List.of(), 400,
              Map.of("error", "unsupported_grant_type"), null);
          return;
        }
        presentedUser = first(params, "username");
        presentedPassword = first(params, "password");
      } else if ("GET".equals(method)) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
          String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
          int colon = decoded.indexOf(':');
          presentedUser = colon < 0 ? decoded : decoded.substring(0, colon);
          presentedPassword = colon < 0 ? "" : decoded.substring(colon + 1);
        }
      } else {
        respond(exchange, method, null, params, List.of(), 405,
            Map.of("error", "method not allowed"), null);
        return;
      }
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        respond(exchange, method, presentedUser, params, List.of(), failureStatus,
            Map.of("error", "injected failure"), null);
        return;
      }
      if (presentedUser != null && !(user.user().equals(presentedUser)
          && user.password().equals(presentedPassword))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"minke-test-token\"");
        respond(exchange, method, presentedUser, params, List.of(), 401,
            Map.of("details", "incorrect username or password"), null);
        return;
      }
      String requestedService = first(params, "service");
      if (requestedService != null && !service.equals(requestedService)) {
        respond(exchange, method, presentedUser, params, List.of(), 400,
            Map.of("details", "unknown service " + requestedService), null);
        return;
      }
      List<String> granted = grant(presentedUser != null, scopes(params));
      Instant now = Instant.now();
      Duration life = lifetime;
      String token = sign(presentedUser == null ? "" : presentedUser, granted, life, now);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("token", token);
      body.put("access_token", token);
      body.put("expires_in", Math.max(1, life.toSeconds()));
      body.put("issued_at", now.toString());
      if ("POST".equals(method)) {
        body.put("scope", String.join(" ", granted));
      }
      respond(exchange, method, presentedUser, params, granted, 200, body, token);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void respond(HttpExchange exchange, String method, String who,
      Map<String, List<String>> params, List<String> granted, int status, Map<String, ?> body,
      String token) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    requests.add(new TokenRequest(method, who, first(params, "service"), scopes(params),
        List.copyOf(granted), status, token));
  }

  /** The scopes asked for: every {@code scope} parameter, each possibly space-separated. */
  private static List<String> scopes(Map<String, List<String>> params) {
    List<String> scopes = new ArrayList<>();
    for (String value : params.getOrDefault("scope", List.of())) {
      for (String scope : value.trim().split(" +")) {
        if (!scope.isEmpty()) {
          scopes.add(scope);
        }
      }
    }
    return scopes;
  }

  /** The grants, in scope syntax, that a requester gets for what it asked. */
  private List<String> grant(boolean authenticated, List<String> scopes) {
    List<String> granted = new ArrayList<>();
    for (String scope : scopes) {
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) {
        continue;
      }
      String type = scope.substring(0, first);
      String name = scope.substring(first + 1, last);
      List<String> actions = new ArrayList<>();
      for (String action : scope.substring(last + 1).split(",")) {
        boolean allowed = authenticated
            ? (type.startsWith("repository") && List.of("pull", "push", "delete", "*").contains(action))
                || (type.equals("registry") && name.equals("catalog") && action.equals("*"))
            : anonymousPull && type.startsWith("repository") && action.equals("pull");
        if (allowed && !actions.contains(action)) {
          actions.add(action);
        }
      }
      if (!actions.isEmpty()) {
        granted.add(type + ":" + name + ":" + String.join(",", actions));
      }
    }
    return granted;
  }

  // --- JWT

  private String sign(String subject, List<String> grants, Duration life, Instant now) {
    TestCertificate key = certificate(signingKey);
    boolean rsaKey = key.keyType() == TestCertificate.KeyType.RSA;
    try {
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("typ", "JWT");
      header.put("alg", rsaKey ? "RS256" : "ES256");
      if (keyHeader == KeyHeader.KID) {
        header.put("kid", libtrustKeyId(key.x509().getPublicKey().getEncoded()));
      } else {
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(key.x509().getEncoded())));
      }
      List<Map<String, Object>> access = new ArrayList<>();
      for (String grant : grants) {
        int first = grant.indexOf(':');
        int last = grant.lastIndexOf(':');
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", grant.substring(0, first));
        entry.put("name", grant.substring(first + 1, last));
        entry.put("actions", Arrays.asList(grant.substring(last + 1).split(",")));
        access.add(entry);
      }
      long iat = now.getEpochSecond();
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", issuer);
      claims.put("sub", subject);
      claims.put("aud", service);
      claims.put("exp", iat + life.toSeconds() - DISTRIBUTION_LEEWAY.toSeconds());
      claims.put("nbf", iat);
      claims.put("iat", iat);
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("access", access);
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
          + url.encodeToString(JSON.writeValueAsBytes(claims));
      Signature signature = Signature.getInstance(
          rsaKey ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
      signature.initSign(key.privateKey());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(signature.sign());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * libtrust's key ID, which distribution 2.8 matches a {@code kid} against: SHA-256 of the DER
   * SubjectPublicKeyInfo, first 240 bits, base32 without padding, in 12 groups of 4 joined by ':'.
   */
  static String libtrustKeyId(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo);
    String base32 = base32(Arrays.copyOf(hash, 30));
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < base32.length(); i += 4) {
      if (i > 0) {
        id.append(':');
      }
      id.append(base32, i, i + 4);
    }
    return id.toString();
  }

  /** RFC 4648 base32 of a length divisible by 5 (so no padding). */
  private static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }

  // --- forms

  private static void parseForm(String raw, Map<String, List<String>> into) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
