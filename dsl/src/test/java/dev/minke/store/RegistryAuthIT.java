package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.cli.Main;
import dev.minke.image.Digest;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryAuthException;
import dev.minke.registry.RegistryOptions;
import dev.minke.registry.testing.Credentials;
import dev.minke.registry.testing.Fault;
import dev.minke.registry.testing.FaultProxy;
import dev.minke.registry.testing.RunningRegistry;
import dev.minke.registry.testing.TestRegistries;
import dev.minke.registry.testing.TokenServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push and pull of busybox against real registries with auth (issue 5): htpasswd over http and
 * https, and Docker token auth with the in-JVM token server; credentials from
 * {@link RegistryOptions#withCredentials} and from a Docker config file written by {@code minke
 * login}; wrong and missing credentials; tokens that expire during a pull.
 */
class RegistryAuthIT {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static TestRegistries registries;
  private static Store source;
  private static Digest busybox;
  private static Credentials user;
  private static Path noConfig;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(onPath("docker-registry"), "docker-registry is not installed");
    assumeTrue(onPath("htpasswd"), "htpasswd (apache2-utils) is not installed");
    registries = TestRegistries.create();
    user = registries.credentials();
    source = Store.open(shared.resolve("source"));
    busybox = BusyboxImage.make(source, Path.of("/bin/busybox"), 0).manifestDescriptor().digest();
    // An empty Docker config, so that no credentials of the machine's user leak into a test.
    noConfig = Files.writeString(shared.resolve("empty-config.json"), "{}");
  }

  @AfterAll
  static void stop() {
    if (registries != null) {
      registries.close();
    }
  }

  @BeforeEach
  void reset() {
    TokenServer server = registries.tokenServer();
    server.lifetime(Duration.ofMinutes(5)).anonymousPull(false).clearLog();
  }

  @AfterEach
  void clearProperties() {
    System.clearProperty("minke.home");
    System.clearProperty("minke.dockerConfig");
  }

  private static boolean onPath(String tool) {
    return List.of(System.getenv("PATH").split(":")).stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** No Docker config credentials, no mirror, fast retries. */
  private static RegistryOptions anonymous() {
    return RegistryOptions.defaults().withDockerConfigFile(noConfig).withMirror(null).withRetries(2, 10);
  }

  private static RegistryOptions as(RunningRegistry registry, String name, String password) {
    RegistryOptions options = anonymous().withCredentials(registry.hostPort(), name, password);
    return registry.tls() ? options.withSslContext(registries.tlsCertificate().sslContext()) : options;
  }

  private static RegistryOptions asUser(RunningRegistry registry) {
    return as(registry, user.user(), user.password());
  }

  private static PushOptions push(RegistryOptions options) {
    return PushOptions.defaults().withRegistry(options);
  }

  private static PullOptions pull(RegistryOptions options) {
    return PullOptions.defaults().withPolicy(PullPolicy.ALWAYS).withRegistry(options);
  }

  /** Pushes busybox to {@code repo:1}, pulls it into an empty store, checks digest and store. */
  private void pushAndPull(RunningRegistry registry, String repo, RegistryOptions options) {
    Reference target = Reference.parse(registry.reference(repo + ":1"));
    PushResult pushed = ImagePush.push(source, BusyboxImage.NAME, target, push(options));
    assertEquals(busybox, pushed.digest());
    assertEquals(2, pushed.blobsUploaded(), pushed.toString());

    Store empty = Store.open(tmp.resolve(registry.name() + "-" + repo.replace('/', '-')));
    PullResult pulled = ImagePull.pull(empty, target, pull(options));
    assertEquals(busybox, pulled.manifest().digest());
    assertEquals(2, pulled.blobsFetched());
    assertEquals(busybox, empty.require(target).digest());
    assertTrue(empty.fsck().ok(), empty.fsck().toString());
  }

  // --- credentials given in the options

  @Test
  void basic_withCredentials_pushAndPull() {
    pushAndPull(registries.basic(), "opts/basic", asUser(registries.basic()));
  }

  @Test
  void basicTls_withCredentialsAndTheFixturesSslContext_pushAndPull() {
    pushAndPull(registries.basicTls(), "opts/tls", asUser(registries.basicTls()));
  }

  @Test
  void token_withCredentials_pushAndPull_reusesTokens() {
    RunningRegistry registry = registries.token();
    pushAndPull(registry, "opts/token", asUser(registry));
    TokenServer server = registries.tokenServer();
    assertTrue(server.requests().stream().allMatch(r -> user.user().equals(r.user()) && r.status() == 200),
        server.requests().toString());
    assertTrue(server.requests().stream().anyMatch(r -> r.scopes().contains("repository:opts/token:pull,push")),
        server.requests().toString());
    // One token per scope set and client, not one per request: a push and a pull of 2 blobs each.
    assertTrue(server.issued() <= 4, server.requests().toString());
  }

  // --- credentials from a Docker config file written by `minke login`

  private static String[] cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  private void loginThenPushAndPull(RunningRegistry registry, String repo) throws Exception {
    Path config = tmp.resolve("docker/config.json");
    System.setProperty("minke.dockerConfig", config.toString());
    String[] login = cli("login", "-u", user.user(), "-p", user.password(), registry.hostPort());
    assertEquals("0", login[0], login[1] + login[2]);
    assertTrue(login[1].contains("Login Succeeded"), login[1]);
    assertTrue(Files.readString(config).contains(registry.hostPort()));

    // Options from the environment: the credentials come from the file `minke login` wrote.
    RegistryOptions fromFile = RegistryOptions.defaults().withMirror(null).withRetries(2, 10);
    assertEquals(config, fromFile.dockerConfigFile());
    pushAndPull(registry, repo, fromFile);

    // The command line too: `minke pull` into another store with the same config file.
    System.setProperty("minke.home", tmp.resolve("cli-home").toString());
    String[] pulled = cli("pull", registry.reference(repo + ":1"));
    assertEquals("0", pulled[0], pulled[1] + pulled[2]);
    assertTrue(pulled[1].contains("Digest: " + busybox), pulled[1]);

    // After logout the same pull is refused.
    String[] logout = cli("logout", registry.hostPort());
    assertEquals("0", logout[0], logout[1] + logout[2]);
    System.setProperty("minke.home", tmp.resolve("cli-home-2").toString());
    String[] refused = cli("pull", registry.reference(repo + ":1"));
    assertNotEquals("0", refused[0]);
    assertTrue((refused[1] + refused[2]).contains("minke login " + registry.hostPort()), refused[1] + refused[2]);
  }

  @Test
  void basic_credentialsFromMinkeLogin() throws Exception {
    loginThenPushAndPull(registries.basic(), "login/basic");
  }

  @Test
  void token_credentialsFromMinkeLogin() throws Exception {
    loginThenPushAndPull(registries.token(), "login/token");
  }

  @Test
  void minkeLogin_wrongPassword_isRefused_andNothingIsWritten() {
    Path config = tmp.resolve("docker/config.json");
    System.setProperty("minke.dockerConfig", config.toString());
    for (RunningRegistry registry : List.of(registries.basic(), registries.token())) {
      String[] login = cli("login", "-u", user.user(), "-p", "wrong", registry.hostPort());
      assertNotEquals("0", login[0], registry.name());
      assertTrue((login[1] + login[2]).contains(registry.hostPort()), login[1] + login[2]);
      assertFalse(Files.exists(config) && readQuietly(config).contains(registry.hostPort()));
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // --- refusals

  private static void assertRefusal(RegistryAuthException e, RunningRegistry registry, String repository) {
    String message = e.getMessage();
    assertEquals(registry.hostPort(), e.registry(), message);
    assertEquals(repository, e.repository(), message);
    assertTrue(message.contains(registry.hostPort() + "/" + repository), message);
    assertTrue(message.contains("minke login " + registry.hostPort()), message);
    assertFalse(message.contains(user.password()), "the message shows no password: " + message);
  }

  private void assertPushAndPullRefused(RunningRegistry registry, String repository, RegistryOptions options) {
    Reference target = Reference.parse(registry.reference(repository + ":1"));
    RegistryAuthException pushError = assertThrows(RegistryAuthException.class,
        () -> ImagePush.push(source, BusyboxImage.NAME, target, push(options)));
    assertRefusal(pushError, registry, repository);

    // Something to pull: the same repository pushed with the right credentials.
    ImagePush.push(source, BusyboxImage.NAME, target, push(asUser(registry)));
    Store empty = Store.open(tmp.resolve("refused-" + registry.name()));
    String before = TestStores.snapshotOf(empty);
    RegistryAuthException pullError = assertThrows(RegistryAuthException.class,
        () -> ImagePull.pull(empty, target, pull(options)));
    assertRefusal(pullError, registry, repository);
    assertEquals(before, TestStores.snapshotOf(empty));
  }

  @Test
  void basic_wrongPassword_isAClearAuthError() {
    RunningRegistry registry = registries.basic();
    assertPushAndPullRefused(registry, "wrong/basic", as(registry, user.user(), "not-" + user.password()));
  }

  @Test
  void basic_noCredentials_isAClearAuthError() {
    assertPushAndPullRefused(registries.basic(), "none/basic", anonymous());
  }

  @Test
  void basicTls_wrongUser_isAClearAuthError() {
    RunningRegistry registry = registries.basicTls();
    assertPushAndPullRefused(registry, "wrong/tls", as(registry, "someone-else", user.password()));
  }

  @Test
  void token_wrongPassword_isAClearAuthError_fromTheTokenService() {
    RunningRegistry registry = registries.token();
    assertPushAndPullRefused(registry, "wrong/token", as(registry, user.user(), "not-" + user.password()));
    assertTrue(registries.tokenServer().requests().stream().anyMatch(r -> r.status() == 401));
  }

  @Test
  void token_anonymousPull_refusedByTheTokenRegistry_isTheAuthError() {
    RunningRegistry registry = registries.token();
    Reference target = Reference.parse(registry.reference("anon/busybox:1"));
    ImagePush.push(source, BusyboxImage.NAME, target, push(asUser(registry)));
    Store empty = Store.open(tmp.resolve("anon"));
    RegistryAuthException e = assertThrows(RegistryAuthException.class,
        () -> ImagePull.pull(empty, target, pull(anonymous())));
    assertRefusal(e, registry, "anon/busybox");
    assertEquals(401, e.status());
    // The token server was asked anonymously and granted nothing.
    assertTrue(registries.tokenServer().requests().stream()
        .anyMatch(r -> r.user() == null && r.status() == 200 && r.granted().isEmpty()),
        registries.tokenServer().requests().toString());
    assertTrue(empty.images().resolve(target).isEmpty());

    // With anonymous pull allowed, the same anonymous pull works.
    registries.tokenServer().anonymousPull(true);
    assertEquals(busybox, ImagePull.pull(empty, target, pull(anonymous())).manifest().digest());
    assertTrue(empty.fsck().ok(), empty.fsck().toString());
  }

  // --- token expiry

  @Test
  void token_expiresDuringThePull_isRenewed_andThePullSucceeds() {
    RunningRegistry registry = registries.token();
    Reference direct = Reference.parse(registry.reference("expiry/busybox:1"));
    ImagePush.push(source, BusyboxImage.NAME, direct, push(asUser(registry)));

    // A proxy in front of the token registry slows the manifest and the config down, so that the
    // 2 s tokens run out between the requests of one pull.
    try (FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
      TokenServer server = registries.tokenServer();
      server.lifetime(Duration.ofSeconds(2)).clearLog();
      proxy.failNext("GET", "/manifests/", Fault.slowBody(64, Duration.ofMillis(400)), 1);
      proxy.failNext("GET", "/blobs/sha256:", Fault.slowBody(64, Duration.ofMillis(400)), 1);
      Reference target = Reference.parse(proxy.hostPort() + "/expiry/busybox:1");
      RegistryOptions options = anonymous().withCredentials(proxy.hostPort(), user.user(), user.password());
      Store empty = Store.open(tmp.resolve("expiry"));
      long start = System.nanoTime();
      PullResult pulled = ImagePull.pull(empty, target, pull(options).withJobs(1));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(busybox, pulled.manifest().digest());
      assertTrue(empty.fsck().ok(), empty.fsck().toString());
      assertTrue(millis > 2000, "the pull outlived a token: " + millis + " ms");
      // One pull scope, several tokens: the expired one was replaced.
      assertTrue(server.issued() >= 2, server.requests().toString());
      // No request was refused on the way: every token was fresh when used.
      assertTrue(proxy.requests().stream().noneMatch(x -> x.status() == 401 && x.header("Authorization") != null),
          proxy.requests().toString());
    }
  }

  @Test
  void token_expiredBetweenTwoCalls_isFetchedAgain() throws Exception {
    RunningRegistry registry = registries.token();
    Reference target = Reference.parse(registry.reference("expiry2/busybox:1"));
    ImagePush.push(source, BusyboxImage.NAME, target, push(asUser(registry)));
    TokenServer server = registries.tokenServer();
    server.lifetime(Duration.ofSeconds(2)).clearLog();
    dev.minke.registry.RegistryClient client = dev.minke.registry.RegistryClient.create(asUser(registry));
    assertEquals(busybox, client.manifest(target).digest());
    Thread.sleep(2500); // The first token has run out (the client renews before the registry would refuse it).
    assertEquals(busybox, client.manifest(target).digest());
    assertTrue(server.issued() >= 2, server.requests().toString());
  }
}
