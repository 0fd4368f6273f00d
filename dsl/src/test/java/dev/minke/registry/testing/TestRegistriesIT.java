package dev.minke.registry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minke.build.BusyboxImage;
import dev.minke.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test registries are real: skopeo pushes Minke's busybox image to each and pulls it back,
 * wrong credentials get 401, the token flow issues tokens the registry accepts, and they expire.
 */
class TestRegistriesIT {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static TestRegistries registries;
  private static Store store;
  private static String busyboxDigest;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    for (String tool : List.of("docker-registry", "skopeo", "htpasswd", "openssl")) {
      assumeTrue(Tools.onPath(tool), tool + " is not installed (.ci/install-packages installs it)");
    }
    registries = TestRegistries.create();
    store = Store.open(shared.resolve("store"));
    busyboxDigest = BusyboxImage.make(store, Path.of("/bin/busybox"), 0)
        .manifestDescriptor().digest().toString();
  }

  @AfterAll
  static void stop() {
    if (registries != null) {
      registries.close();
    }
  }

  // --- open

  @Test
  void open_pushAndPullWithSkopeo() throws Exception {
    RunningRegistry open = registries.open();
    assertEquals(200, get(open.v2(), Map.of()).statusCode());
    push(open, "test/img:1", null);
    assertEquals(busyboxDigest, manifestDigest(open, "test/img", "1", Map.of()));
    assertEquals(busyboxDigest, pullBack(open, "test/img:1", null));
  }

  // --- basic

  @Test
  void basic_challengesAndChecksTheCredentials() throws Exception {
    RunningRegistry basic = registries.basic();
    Credentials user = registries.credentials();
    HttpResponse<String> anonymous = get(basic.v2(), Map.of());
    assertEquals(401, anonymous.statusCode());
    assertEquals("Basic realm=\"minke-test\"",
        anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
    Credentials wrong = new Credentials(user.user(), user.password() + "x");
    assertEquals(401, get(basic.v2(), auth(wrong)).statusCode());
    assertEquals(200, get(basic.v2(), auth(user)).statusCode());
  }

  @Test
  void basic_pushAndPullWithSkopeo_wrongCredentialsRefused() throws Exception {
    RunningRegistry basic = registries.basic();
    Credentials user = registries.credentials();
    push(basic, "test/img:1", user);
    assertEquals(busyboxDigest, manifestDigest(basic, "test/img", "1", auth(user)));
    assertEquals(401, get(manifestUri(basic, "test/img", "1"), Map.of()).statusCode());
    assertEquals(busyboxDigest, pullBack(basic, "test/img:1", user));
    Credentials wrong = new Credentials(user.user(), "wrong");
    SkopeoResult refused = skopeo("copy", "--dest-tls-verify=false", "--dest-creds",
        wrong.colonForm(), "oci:" + store.home() + ":" + BusyboxImage.NAME,
        "docker://" + basic.reference("test/img:2"));
    assertNotEquals(0, refused.exit());
    assertTrue(refused.stderr().contains("401") || refused.stderr().toLowerCase().contains("unauthorized"),
        refused.stderr());
  }

  @Test
  void basicTls_servesTheTestCertificate() throws Exception {
    RunningRegistry tls = registries.basicTls();
    assertEquals("https", tls.baseUri().getScheme());
    HttpClient trusting = HttpClient.newBuilder()
        .sslContext(registries.tlsCertificate().sslContext()).build();
    Credentials user = registries.credentials();
    assertEquals(401, trusting.send(HttpRequest.newBuilder(tls.v2()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    assertEquals(200, trusting.send(HttpRequest.newBuilder(tls.v2())
        .header("Authorization", user.basicAuthorization()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    assertThrows(SSLException.class, () -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(tls.v2()).build(), HttpResponse.BodyHandlers.discarding()));
    // skopeo verifies TLS against the certificate as its CA.
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    Files.copy(registries.tlsCertificate().certificatePath(), certs.resolve("ca.crt"));
    SkopeoResult pushed = skopeo("copy", "--dest-cert-dir", certs.toString(), "--dest-creds",
        user.colonForm(), "oci:" + store.home() + ":" + BusyboxImage.NAME,
        "docker://" + tls.reference("test/img:1"));
    assertEquals(0, pushed.exit(), pushed.stderr());
  }

  // --- token

  @Test
  void token_challengeNamesTheRealmAndService() throws Exception {
    RunningRegistry token = registries.token();
    HttpResponse<String> response = get(manifestUri(token, "test/img", "1"), Map.of());
    assertEquals(401, response.statusCode());
    Map<String, String> challenge = bearerChallenge(response);
    assertEquals(registries.tokenServer().realm().toString(), challenge.get("realm"));
    assertEquals(TestRegistries.TOKEN_SERVICE, challenge.get("service"));
    assertEquals("repository:test/img:pull", challenge.get("scope"));
  }

  @Test
  void token_issuedTokenIsAccepted_forEveryKeyAndHeader() throws Exception {
    RunningRegistry token = registries.token();
    TokenServer server = registries.tokenServer();
    push(registries.token(), "test/keys:1", registries.credentials());
    try {
      for (TestCertificate.KeyType key : TestCertificate.KeyType.values()) {
        for (TokenServer.KeyHeader header : TokenServer.KeyHeader.values()) {
          server.signWith(key).keyHeader(header);
          String jwt = fetchToken(registries.credentials(), "repository:test/keys:pull").token();
          Map<String, String> bearer = Map.of("Authorization", "Bearer " + jwt);
          assertEquals(200, get(token.v2(), bearer).statusCode(), key + " " + header);
          assertEquals(busyboxDigest, manifestDigest(token, "test/keys", "1", bearer),
              key + " " + header);
          JsonNode jwtHeader = JSON.readTree(java.util.Base64.getUrlDecoder()
              .decode(jwt.substring(0, jwt.indexOf('.'))));
          assertEquals(key == TestCertificate.KeyType.RSA ? "RS256" : "ES256",
              jwtHeader.get("alg").asText());
          assertEquals(header == TokenServer.KeyHeader.KID, jwtHeader.has("kid"));
        }
      }
    } finally {
      server.signWith(TestCertificate.KeyType.RSA).keyHeader(TokenServer.KeyHeader.KID);
    }
  }

  @Test
  void token_pushAndPullWithSkopeo() throws Exception {
    RunningRegistry token = registries.token();
    Credentials user = registries.credentials();
    registries.tokenServer().clearLog();
    push(token, "test/img:1", user);
    assertEquals(busyboxDigest, pullBack(token, "test/img:1", user));
    List<TokenServer.TokenRequest> requests = registries.tokenServer().requests();
    assertTrue(requests.stream().anyMatch(r -> user.user().equals(r.user()) && r.status() == 200
        && r.granted().contains("repository:test/img:pull,push")), requests.toString());
  }

  @Test
  void token_wrongCredentialsGet401FromTheTokenServer() throws Exception {
    registries.token();
    Credentials wrong = new Credentials(registries.credentials().user(), "wrong");
    HttpResponse<String> response = tokenResponse(wrong, "repository:test/img:pull");
    assertEquals(401, response.statusCode());
    SkopeoResult refused = skopeo("copy", "--dest-tls-verify=false", "--dest-creds",
        wrong.colonForm(), "oci:" + store.home() + ":" + BusyboxImage.NAME,
        "docker://" + registries.token().reference("test/img:2"));
    assertNotEquals(0, refused.exit());
  }

  @Test
  void token_grantsOnlyWhatWasAskedFor() throws Exception {
    RunningRegistry token = registries.token();
    push(token, "test/other:1", registries.credentials());
    String jwt = fetchToken(registries.credentials(), "repository:test/nothing:pull").token();
    HttpResponse<String> response = get(manifestUri(token, "test/other", "1"),
        Map.of("Authorization", "Bearer " + jwt));
    assertEquals(401, response.statusCode());
    assertTrue(response.body().contains("UNAUTHORIZED"), response.body());
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("")
        .contains("error=\"insufficient_scope\""), response.headers().map().toString());
  }

  @Test
  void token_anonymousPullOnlyWhenConfigured() throws Exception {
    RunningRegistry token = registries.token();
    TokenServer server = registries.tokenServer();
    push(token, "test/anon:1", registries.credentials());
    try {
      server.anonymousPull(false);
      String none = fetchToken(null, "repository:test/anon:pull").token();
      assertEquals(401, get(manifestUri(token, "test/anon", "1"),
          Map.of("Authorization", "Bearer " + none)).statusCode());

      server.anonymousPull(true);
      TokenResponse pull = fetchToken(null, "repository:test/anon:pull,push");
      assertEquals(List.of("repository:test/anon:pull"),
          server.requests().get(server.requests().size() - 1).granted());
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + pull.token());
      assertEquals(busyboxDigest, manifestDigest(token, "test/anon", "1", bearer));
      HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(
              token.baseUri().resolve("/v2/test/anon/blobs/uploads/"))
          .header("Authorization", "Bearer " + pull.token())
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, upload.statusCode(), "anonymous push must be refused");
    } finally {
      server.anonymousPull(false);
    }
  }

  @Test
  void token_oauth2PostFormIsServedToo() throws Exception {
    RunningRegistry token = registries.token();
    Credentials user = registries.credentials();
    String form = "grant_type=password&client_id=minke-test&service="
        + TestRegistries.TOKEN_SERVICE + "&scope="
        + URLEncoder.encode("repository:test/img:pull", StandardCharsets.UTF_8)
        + "&username=" + user.user() + "&password=" + user.password();
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            registries.tokenServer().realm())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals("repository:test/img:pull", body.get("scope").asText());
    assertEquals(200, get(token.v2(),
        Map.of("Authorization", "Bearer " + body.get("access_token").asText())).statusCode());
  }

  @Test
  void token_expiresAfterItsLifetime() throws Exception {
    RunningRegistry token = registries.token();
    TokenServer server = registries.tokenServer();
    Duration before = server.lifetime();
    try {
      server.lifetime(Duration.ofSeconds(2));
      TokenResponse response = fetchToken(registries.credentials(), "repository:test/img:pull");
      assertEquals(2, response.expiresIn());
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + response.token());
      assertEquals(200, get(token.v2(), bearer).statusCode());
      Thread.sleep(3_100);
      HttpResponse<String> expired = get(token.v2(), bearer);
      assertEquals(401, expired.statusCode());
      // A fresh token works again: what a client's refresh does.
      String fresh = fetchToken(registries.credentials(), "repository:test/img:pull").token();
      assertEquals(200, get(token.v2(), Map.of("Authorization", "Bearer " + fresh)).statusCode());
    } finally {
      server.lifetime(before);
    }
  }

  @Test
  void token_serverFailuresCanBeInjected() throws Exception {
    registries.token();
    registries.tokenServer().failNext(503, 1);
    assertEquals(503, tokenResponse(registries.credentials(), "repository:a/b:pull").statusCode());
    assertEquals(200, tokenResponse(registries.credentials(), "repository:a/b:pull").statusCode());
  }

  // --- lifecycle

  @Test
  void close_killsTheProcessesAndDeletesTheDirectory() throws Exception {
    TestRegistries own = TestRegistries.create();
    RunningRegistry open = own.open();
    RunningRegistry token = own.token();
    long openPid = open.pid();
    long tokenPid = token.pid();
    URI realm = own.tokenServer().realm();
    Path dir = own.directory();
    assertTrue(ProcessHandle.of(openPid).map(ProcessHandle::isAlive).orElse(false));
    own.close();
    assertFalse(ProcessHandle.of(openPid).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(ProcessHandle.of(tokenPid).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(dir));
    assertThrows(IOException.class, () -> get(open.v2(), Map.of()));
    assertThrows(IOException.class, () -> get(realm, Map.of()));
    own.close(); // idempotent
  }

  @Test
  void libtrustKeyId_hasTwelveGroupsOfFour() throws Exception {
    String id = TokenServer.libtrustKeyId(registries.tokenServer()
        .certificate(TestCertificate.KeyType.EC).x509().getPublicKey().getEncoded());
    assertTrue(id.matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}"), id);
  }

  // --- helpers

  private record TokenResponse(String token, long expiresIn) {}

  private record SkopeoResult(int exit, String stdout, String stderr) {}

  private static Map<String, String> auth(Credentials credentials) {
    return Map.of("Authorization", credentials.basicAuthorization());
  }

  private static HttpResponse<String> get(URI uri, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI manifestUri(RunningRegistry registry, String repository, String tag) {
    return registry.baseUri().resolve("/v2/" + repository + "/manifests/" + tag);
  }

  /** GETs the manifest, checks its Docker-Content-Digest, and returns it. */
  private static String manifestDigest(RunningRegistry registry, String repository, String tag,
      Map<String, String> headers) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Accept", OCI_MANIFEST);
    HttpResponse<String> response = get(manifestUri(registry, repository, tag), all);
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  private static Map<String, String> bearerChallenge(HttpResponse<?> response) {
    String header = response.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertTrue(header.startsWith("Bearer "), header);
    Map<String, String> params = new java.util.HashMap<>();
    Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(header);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    return params;
  }

  private static HttpResponse<String> tokenResponse(Credentials credentials, String scope)
      throws Exception {
    URI uri = URI.create(registries.tokenServer().realm() + "?service="
        + TestRegistries.TOKEN_SERVICE + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    return get(uri, credentials == null ? Map.of() : auth(credentials));
  }

  private static TokenResponse fetchToken(Credentials credentials, String scope) throws Exception {
    HttpResponse<String> response = tokenResponse(credentials, scope);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(body.get("token").asText(), body.get("access_token").asText());
    return new TokenResponse(body.get("token").asText(), body.get("expires_in").asLong());
  }

  private void push(RunningRegistry registry, String repositoryAndTag, Credentials credentials)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false"));
    Optional.ofNullable(credentials).ifPresent(c -> args.addAll(List.of("--dest-creds", c.colonForm())));
    args.add("oci:" + store.home() + ":" + BusyboxImage.NAME);
    args.add("docker://" + registry.reference(repositoryAndTag));
    SkopeoResult result = skopeo(args.toArray(String[]::new));
    assertEquals(0, result.exit(), result.stderr());
  }

  /** skopeo-copies the image back into a fresh OCI layout; returns the manifest digest there. */
  private String pullBack(RunningRegistry registry, String repositoryAndTag,
      Credentials credentials) throws Exception {
    Path layout = Files.createTempDirectory(tmp, "pulled-");
    List<String> args = new ArrayList<>(List.of("copy", "--src-tls-verify=false"));
    Optional.ofNullable(credentials).ifPresent(c -> args.addAll(List.of("--src-creds", c.colonForm())));
    args.add("docker://" + registry.reference(repositoryAndTag));
    args.add("oci:" + layout + ":pulled");
    SkopeoResult result = skopeo(args.toArray(String[]::new));
    assertEquals(0, result.exit(), result.stderr());
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    return index.get("manifests").get(0).get("digest").asText();
  }

  private SkopeoResult skopeo(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(tmp, "skopeo-", ".err");
    // An empty auth file: a developer's ~/.docker/config.json must not lend credentials.
    Path authFile = Files.writeString(Files.createTempFile(tmp, "auth-", ".json"), "{}");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().put("REGISTRY_AUTH_FILE", authFile.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "skopeo timed out: " + command);
    return new SkopeoResult(process.exitValue(), out, Files.readString(err));
  }
}
