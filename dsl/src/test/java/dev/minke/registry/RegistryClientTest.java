package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a small in-JVM registry that speaks just enough of the API: token auth with
 * scopes, Basic auth, failures on demand and ranged blob reads. (Real registries: RegistryPushPullIT.)
 */
class RegistryClientTest {
  private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST
      + "\",\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256("c")
      + "\",\"size\":1},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
  private static final byte[] BLOB = new byte[300_000];

  static {
    for (int i = 0; i < BLOB.length; i++) {
      BLOB[i] = (byte) (i * 31 + i / 7);
    }
  }

  @TempDir Path tmp;
  private HttpServer server;
  private String host;
  /** "bearer", "basic" or "none". */
  private volatile String authMode = "none";
  private volatile long tokenLifetimeSeconds = 300;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> revoked = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** Status codes to answer the next requests with, before serving normally. */
  private final List<Integer> failures = new CopyOnWriteArrayList<>();
  /** Cut the blob's connection after this many bytes, once. */
  private volatile int cutBlobAfter = -1;
  private volatile boolean honourRange = true;
  private volatile byte[] servedManifest = MANIFEST;
  private volatile String tokenBody;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::api);
    server.start();
    host = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RegistryClient client() {
    return RegistryClient.create(RegistryOptions.defaults().withMirror(null).withRetries(3, 1)
        .withDockerConfigFile(tmp.resolve("config.json")));
  }

  private Reference ref(String text) {
    return Reference.parse(host + "/" + text);
  }

  private void token(HttpExchange exchange) throws IOException {
    String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
    tokenQueries.add(query);
    String token = "tok-" + tokensIssued.incrementAndGet();
    String body = tokenBody != null ? tokenBody
        : "{\"token\":\"" + token + "\",\"expires_in\":" + tokenLifetimeSeconds + "}";
    respond(exchange, 200, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private void api(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    requests.add(exchange.getRequestMethod() + " " + path + " " + authorization);
    if (authMode.equals("bearer") && (authorization == null || !authorization.startsWith("Bearer ")
        || revoked.containsKey(authorization.substring(7)))) {
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8),
          Map.of("WWW-Authenticate", "Bearer realm=\"http://" + host + "/token\",service=\"fake\""));
      return;
    }
    if (authMode.equals("basic") && !("Basic " + Base64.getEncoder().encodeToString(
        "me:pw".getBytes(StandardCharsets.UTF_8))).equals(authorization)) {
      respond(exchange, 401, new byte[0], Map.of("WWW-Authenticate", "Basic realm=\"fake\""));
      return;
    }
    if (!failures.isEmpty()) {
      int status = failures.remove(0);
      respond(exchange, status, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"try later\"}]}"
          .getBytes(StandardCharsets.UTF_8), status == 429 ? Map.of("Retry-After", "0") : Map.of());
      return;
    }
    if (path.equals("/v2/")) {
      respond(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
    } else if (path.endsWith("/manifests/missing")) {
      respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
          .getBytes(StandardCharsets.UTF_8), Map.of());
    } else if (path.contains("/manifests/")) {
      respond(exchange, 200, servedManifest, Map.of("Content-Type", MediaType.OCI_MANIFEST,
          "Docker-Content-Digest", Digest.sha256(MANIFEST).toString()));
    } else if (path.contains("/blobs/")) {
      serveBlob(exchange);
    } else {
      respond(exchange, 404, new byte[0], Map.of());
    }
  }

  private void serveBlob(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    int start = 0;
    if (range != null && honourRange) {
      start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
      exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (BLOB.length - 1) + "/" + BLOB.length);
    }
    int length = BLOB.length - start;
    exchange.sendResponseHeaders(start > 0 ? 206 : 200, length);
    try (OutputStream out = exchange.getResponseBody()) {
      int cut = cutBlobAfter;
      if (cut >= 0) {
        cutBlobAfter = -1;
        out.write(BLOB, start, cut);
        out.flush();
        throw new IOException("cut on purpose"); // HttpServer then closes the connection mid-body.
      }
      out.write(BLOB, start, length);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Descriptor blobDescriptor() {
    return Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(BLOB), BLOB.length);
  }

  @Test
  void manifest_byTag_computesTheDigest_andByDigestVerifiesIt() {
    RemoteManifest byTag = client().manifest(ref("a/b:1"));
    assertEquals(Digest.sha256(MANIFEST), byTag.digest());
    assertEquals(MediaType.OCI_MANIFEST, byTag.mediaType());
    assertArrayEquals(MANIFEST, byTag.bytes());
    assertEquals(byTag.digest(), client().manifest(ref("a/b@" + Digest.sha256(MANIFEST))).digest());

    servedManifest = "{\"schemaVersion\":2,\"tampered\":true}".getBytes(StandardCharsets.UTF_8);
    assertThrows(RegistryContentException.class, () -> client().manifest(ref("a/b@" + Digest.sha256(MANIFEST))));
    // Asked by tag, a body that disagrees with the registry's own Docker-Content-Digest is refused too.
    assertThrows(RegistryContentException.class, () -> client().manifest(ref("a/b:1")));
  }

  @Test
  void manifest_unknown_namesTheReference() {
    ManifestUnknownException e = assertThrows(ManifestUnknownException.class, () -> client().manifest(ref("a/b:missing")));
    assertEquals(ref("a/b:missing"), e.reference());
    assertEquals(List.of("MANIFEST_UNKNOWN"), e.codes());
    assertTrue(e.getMessage().contains(host + "/a/b:missing"), e.getMessage());
  }

  @Test
  void bearer_fetchesATokenPerScope_andReusesIt() {
    authMode = "bearer";
    RegistryClient client = client();
    client.manifest(ref("a/b:1"));
    client.manifest(ref("a/b:2"));
    client.hasBlob(ref("a/b"), Digest.sha256(BLOB));
    assertEquals(1, tokensIssued.get(), tokenQueries.toString());
    assertEquals("service=fake&scope=repository:a/b:pull", tokenQueries.get(0));
    client.manifest(ref("other/repo:1"));
    assertEquals(2, tokensIssued.get());
    // Only the very first request went out anonymous.
    assertEquals(1, requests.stream().filter(r -> r.endsWith(" null")).count(), requests.toString());
  }

  @Test
  void bearer_mount_asksForPullOnTheSourceToo() {
    authMode = "bearer";
    // HEAD says present, so no upload happens; the token's scopes are what matter here.
    client().pushBlob(ref("to/repo"), blobDescriptor(), () -> new java.io.ByteArrayInputStream(BLOB), "from/repo",
        n -> {});
    assertEquals("service=fake&scope=repository:to/repo:pull,push&scope=repository:from/repo:pull",
        tokenQueries.get(0));
  }

  @Test
  void bearer_refusedToken_isRefreshedOnce() {
    authMode = "bearer";
    RegistryClient client = client();
    client.manifest(ref("a/b:1"));
    revoked.put("tok-1", true); // As if it expired early on the server's side.
    client.manifest(ref("a/b:1"));
    assertEquals(2, tokensIssued.get());
  }

  @Test
  void bearer_expiredToken_isRenewedBeforeUse() throws InterruptedException {
    authMode = "bearer";
    tokenLifetimeSeconds = 1;
    RegistryClient client = client();
    client.manifest(ref("a/b:1"));
    Thread.sleep(1100);
    client.manifest(ref("a/b:1"));
    assertEquals(2, tokensIssued.get());
    assertEquals(1, requests.stream().filter(r -> r.endsWith(" null")).count(), requests.toString());
  }

  @Test
  void bearer_tokenResponseOver64KiB_isRefused() {
    authMode = "bearer";
    tokenBody = "{\"token\":\"" + "x".repeat(70 * 1024) + "\"}";
    RegistryException e = assertThrows(RegistryException.class, () -> client().manifest(ref("a/b:1")));
    assertFalse(e.temporary(), e.toString());
  }

  @Test
  void basic_withoutCredentials_isAnAuthError_withTheLoginHint() {
    authMode = "basic";
    RegistryAuthException e = assertThrows(RegistryAuthException.class, () -> client().manifest(ref("a/b:1")));
    assertEquals(host, e.registry());
    assertEquals("a/b", e.repository());
    assertEquals(401, e.status());
    assertEquals("run `minke login " + host + "`, and check that the repository exists and you may use it", e.hint());
  }

  @Test
  void basic_withCredentials_fromOptions_andLoginWritesTheConfig() throws Exception {
    authMode = "basic";
    RegistryClient withCreds = RegistryClient.create(RegistryOptions.defaults().withMirror(null)
        .withDockerConfigFile(tmp.resolve("unused.json")).withCredentials(host, "me", "pw"));
    assertEquals(Digest.sha256(MANIFEST), withCreds.manifest(ref("a/b:1")).digest());

    RegistryClient client = client();
    assertThrows(RegistryAuthException.class, () -> client.login(host, "me", "wrong"));
    assertFalse(java.nio.file.Files.exists(tmp.resolve("config.json")));
    client.login(host, "me", "pw");
    assertEquals(Digest.sha256(MANIFEST), client().manifest(ref("a/b:1")).digest());
    assertTrue(client.logout(host));
    assertThrows(RegistryAuthException.class, () -> client().manifest(ref("a/b:1")));
  }

  @Test
  void retries_503and429_thenSucceeds() {
    failures.addAll(List.of(503, 429, 502));
    assertEquals(Digest.sha256(MANIFEST), client().manifest(ref("a/b:1")).digest());
    assertTrue(failures.isEmpty());
  }

  @Test
  void retries_giveUp_withTheStatusAndCodes() {
    failures.addAll(List.of(503, 503, 503, 503, 503));
    RegistryException e = assertThrows(RegistryException.class, () -> client().manifest(ref("a/b:1")));
    assertEquals(503, e.status());
    assertEquals(List.of("UNAVAILABLE"), e.codes());
    assertTrue(e.temporary());
    assertEquals(1, failures.size(), "4 attempts: the first and 3 retries");
  }

  @Test
  void noRetry_forClientErrors() {
    failures.addAll(List.of(400, 503));
    RegistryException e = assertThrows(RegistryException.class, () -> client().manifest(ref("a/b:1")));
    assertEquals(400, e.status());
    assertEquals(1, failures.size());
  }

  @Test
  void connectionRefused_isStatus0_andNamesTheRegistry() throws IOException {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RegistryException e = assertThrows(RegistryException.class,
        () -> client().manifest(Reference.parse("127.0.0.1:" + port + "/a/b:1")));
    assertEquals(0, e.status());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void fetchBlob_brokenConnection_resumesWithRange() {
    cutBlobAfter = 100_000;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    AtomicInteger progressed = new AtomicInteger();
    client().fetchBlob(ref("a/b"), blobDescriptor(), sink, n -> progressed.addAndGet((int) n));
    assertArrayEquals(BLOB, sink.toByteArray());
    assertEquals(BLOB.length, progressed.get());
    List<String> gets = requests.stream().filter(r -> r.startsWith("GET")).toList();
    assertEquals(2, gets.size(), requests.toString());
  }

  @Test
  void fetchBlob_serverIgnoringRange_sendsAllAgain_andThePrefixIsSkipped() {
    cutBlobAfter = 100_000;
    honourRange = false;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    client().fetchBlob(ref("a/b"), blobDescriptor(), sink, n -> {});
    assertArrayEquals(BLOB, sink.toByteArray());
  }

  @Test
  void fetchBlob_wrongDigest_orSize_isRefused() {
    Descriptor wrongDigest = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256("other"), BLOB.length);
    assertThrows(RegistryContentException.class,
        () -> client().fetchBlob(ref("a/b"), wrongDigest, new ByteArrayOutputStream(), n -> {}));
    Descriptor tooSmall = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(BLOB), 1000);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThrows(RegistryContentException.class, () -> client().fetchBlob(ref("a/b"), tooSmall, sink, n -> {}));
    assertTrue(sink.size() <= 1000, "never more than the descriptor's size is read: " + sink.size());
  }

  @Test
  void scheme_httpOnlyForLoopbackAndTheInsecureList() {
    RegistryOptions options = RegistryOptions.defaults().withInsecureRegistries("reg.lan:5000", "other.lan");
    assertEquals("http", options.schemeFor("localhost:5000"));
    assertEquals("http", options.schemeFor("127.0.0.1:5000"));
    assertEquals("http", options.schemeFor("[::1]:5000"));
    assertEquals("http", options.schemeFor("reg.lan:5000"));
    assertEquals("https", options.schemeFor("reg.lan:6000"));
    assertEquals("http", options.schemeFor("other.lan:1234"));
    assertEquals("https", options.schemeFor("registry-1.docker.io"));
    assertEquals("https", options.schemeFor("localhost.evil.example"));
  }

  @Test
  void tags_listed() {
    server.createContext("/v2/t/r/tags/list", exchange -> respond(exchange, 200,
        "{\"name\":\"t/r\",\"tags\":[\"1\",\"2\"]}".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertEquals(List.of("1", "2"), client().tags(ref("t/r")));
  }
}
