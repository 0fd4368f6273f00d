package dev.minke.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real registries for registry tests: {@code docker-registry} (CNCF distribution 2.8) processes
 * on 127.0.0.1, each started on first use, on a free port, with storage in this fixture's temp
 * directory. {@link #close()} kills them by PID and deletes the directory; a JVM shutdown hook
 * kills whatever a test forgot to close.
 *
 * <ul>
 *   <li>{@link #open()}: no auth, HTTP.
 *   <li>{@link #basic()}: {@code auth: htpasswd} (bcrypt entry made by {@code htpasswd -nbB}),
 *       HTTP. distribution 2.8 allows htpasswd over plain HTTP.
 *   <li>{@link #basicTls()}: the same over HTTPS with a self-signed certificate for IP
 *       127.0.0.1 ({@link #tlsCertificate()}, with a ready {@code SSLContext}).
 *   <li>{@link #token()}: {@code auth: token}, HTTP, its realm the in-JVM {@link #tokenServer()}.
 * </ul>
 *
 * <p>The three registries with auth accept one user, {@link #credentials()}.
 */
public final class TestRegistries implements AutoCloseable {
  /** The {@code service} of the token registry (the JWT {@code aud}). */
  public static final String TOKEN_SERVICE = "minke-test-registry";
  /** The {@code issuer} of the token registry (the JWT {@code iss}). */
  public static final String TOKEN_ISSUER = "minke-test-token-issuer";

  private static final Set<RunningRegistry> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<TestRegistries> OPEN = ConcurrentHashMap.newKeySet();

  static {
    // The backstop for a test that forgot close(): every registry killed by PID, dirs deleted.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      List.copyOf(LIVE).forEach(RunningRegistry::stop);
      List.copyOf(OPEN).forEach(TestRegistries::close);
    }, "minke-test-registries-reaper"));
  }

  private final Path directory;
  private final Credentials credentials;
  private final List<AutoCloseable> started = new ArrayList<>();
  private RunningRegistry open;
  private RunningRegistry basic;
  private RunningRegistry basicTls;
  private RunningRegistry token;
  private TokenServer tokenServer;
  private TestCertificate tlsCertificate;
  private FaultProxy faultProxy;
  private Path htpasswd;
  private boolean closed;

  private TestRegistries(Path directory) {
    this.directory = directory;
    this.credentials = new Credentials("minke",
        "pw-" + UUID.randomUUID().toString().substring(0, 8));
    OPEN.add(this);
  }

  /** A fixture in a new temp directory; nothing runs until a registry is asked for. */
  public static TestRegistries create() {
    try {
      return new TestRegistries(Files.createTempDirectory("minke-registries-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The user {@link #basic()}, {@link #basicTls()} and {@link #token()} accept. */
  public Credentials credentials() {
    return credentials;
  }

  /** The fixture's temp directory (deleted by {@link #close()}). */
  public Path directory() {
    return directory;
  }

  /** The registry without auth. */
  public synchronized RunningRegistry open() {
    if (open == null) {
      open = startRegistry("open", RunningRegistry.Auth.NONE, "", null, null);
    }
    return open;
  }

  /** The htpasswd registry over HTTP. */
  public synchronized RunningRegistry basic() {
    if (basic == null) {
      basic = startRegistry("basic", RunningRegistry.Auth.BASIC, htpasswdYaml(), null, credentials);
    }
    return basic;
  }

  /** The htpasswd registry over HTTPS, serving {@link #tlsCertificate()}. */
  public synchronized RunningRegistry basicTls() {
    if (basicTls == null) {
      basicTls = startRegistry("basic-tls", RunningRegistry.Auth.BASIC, htpasswdYaml(),
          tlsCertificate(), credentials);
    }
    return basicTls;
  }

  /** The token registry; starts {@link #tokenServer()} too. */
  public synchronized RunningRegistry token() {
    if (token == null) {
      TokenServer server = tokenServer();
      String yaml = "auth:\n  token:\n"
          + "    realm: " + server.realm() + "\n"
          + "    service: " + TOKEN_SERVICE + "\n"
          + "    issuer: " + TOKEN_ISSUER + "\n"
          + "    rootcertbundle: " + server.rootCertBundle() + "\n";
      token = startRegistry("token", RunningRegistry.Auth.TOKEN, yaml, null, credentials);
    }
    return token;
  }

  /** The token server of {@link #token()}; settings change at any time, see its methods. */
  public synchronized TokenServer tokenServer() {
    if (tokenServer == null) {
      tokenServer = TokenServer.start(dir("token-server"), TOKEN_SERVICE, TOKEN_ISSUER, credentials);
      started.add(tokenServer);
    }
    return tokenServer;
  }

  /**
   * The self-signed certificate (RSA, CN and IP SAN 127.0.0.1) that {@link #basicTls()} serves;
   * {@code certificatePath()} for tools, {@code sslContext()} for {@code java.net.http}.
   */
  public synchronized TestCertificate tlsCertificate() {
    if (tlsCertificate == null) {
      tlsCertificate = TestCertificate.make(dir("tls"), "registry", TestCertificate.KeyType.RSA,
          "127.0.0.1", "127.0.0.1");
    }
    return tlsCertificate;
  }

  /** A {@link FaultProxy} in front of {@link #open()} (one per fixture; faults reset by tests). */
  public synchronized FaultProxy faultProxy() {
    if (faultProxy == null) {
      faultProxy = FaultProxy.start(open().baseUri());
      started.add(faultProxy);
    }
    return faultProxy;
  }

  /** Stops every registry (by PID), the token server and the proxy; deletes the directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    OPEN.remove(this);
    for (RunningRegistry registry : new RunningRegistry[] {open, basic, basicTls, token}) {
      if (registry != null) {
        registry.stop();
      }
    }
    for (AutoCloseable closeable : started) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Keep closing the rest.
      }
    }
    Tools.deleteTree(directory);
  }

  // --- internals

  static void track(RunningRegistry registry) {
    LIVE.add(registry);
  }

  static void untrack(RunningRegistry registry) {
    LIVE.remove(registry);
  }

  private RunningRegistry startRegistry(String name, RunningRegistry.Auth auth, String authYaml,
      TestCertificate tls, Credentials accepted) {
    if (closed) {
      throw new IllegalStateException("TestRegistries is closed");
    }
    return RunningRegistry.start(name, dir(name), auth, authYaml, tls, accepted);
  }

  private String htpasswdYaml() {
    if (htpasswd == null) {
      Tools.requireOnPath("htpasswd", "apache2-utils");
      // -B: bcrypt, the only hash distribution's htpasswd auth accepts.
      String line = Tools.run(directory, List.of("htpasswd", "-nbB", credentials.user(),
          credentials.password())).trim();
      htpasswd = directory.resolve("htpasswd");
      try {
        Files.writeString(htpasswd, line + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return "auth:\n  htpasswd:\n    realm: minke-test\n    path: " + htpasswd + "\n";
  }

  private Path dir(String name) {
    try {
      return Files.createDirectories(directory.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
