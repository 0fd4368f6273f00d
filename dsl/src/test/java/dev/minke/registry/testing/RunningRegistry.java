package dev.minke.registry.testing;

import dev.minke.os.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code docker-registry serve} process (CNCF distribution 2.8) on 127.0.0.1, started by
 * {@link TestRegistries}, with its own config, storage directory and log file.
 */
public final class RunningRegistry {
  /** How a registry authenticates. */
  public enum Auth {
    /** No auth: anyone pulls and pushes. */
    NONE,
    /** {@code auth: htpasswd}: Basic credentials, challenge {@code Basic realm="minke-test"}. */
    BASIC,
    /** {@code auth: token}: Bearer tokens from a {@link TokenServer}. */
    TOKEN
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final Auth auth;
  private final TestCertificate tls;
  private final Credentials credentials;
  private final Path directory;
  private final Path config;
  private final Path log;
  private final int port;
  private final Process process;

  private RunningRegistry(String name, Auth auth, TestCertificate tls, Credentials credentials,
      Path directory, Path config, Path log, int port, Process process) {
    this.name = name;
    this.auth = auth;
    this.tls = tls;
    this.credentials = credentials;
    this.directory = directory;
    this.config = config;
    this.log = log;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts {@code docker-registry} with a config made in {@code directory} (which must exist) and
   * waits until {@code /v2/} answers. {@code authYaml} is the config's {@code auth:} section or
   * empty; {@code tls} (may be null) serves HTTPS with that certificate.
   */
  static RunningRegistry start(String name, Path directory, Auth auth, String authYaml,
      TestCertificate tls, Credentials credentials) {
    Tools.requireOnPath("docker-registry", "docker-registry");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Tools.freePort();
      Path config = directory.resolve("config.yml");
      Path log = directory.resolve("registry.log");
      try {
        Files.createDirectories(directory.resolve("storage"));
        Files.writeString(config, config(directory, port, authYaml, tls));
        ProcessBuilder builder = new ProcessBuilder("docker-registry", "serve", config.toString())
            .directory(directory.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // REGISTRY_* variables override the config file: a developer's shell must not leak in.
        builder.environment().keySet().removeIf(key -> key.startsWith("REGISTRY_"));
        Process process = builder.start();
        process.getOutputStream().close();
        RunningRegistry registry = new RunningRegistry(name, auth, tls, credentials, directory,
            config, log, port, process);
        TestRegistries.track(registry);
        try {
          registry.awaitReady();
          return registry;
        } catch (IllegalStateException e) {
          registry.stop();
          last = e;
          if (!Tools.tail(log, 20).contains("address already in use")) {
            throw e;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw last;
  }

  private static String config(Path directory, int port, String authYaml, TestCertificate tls) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: 0.1\n")
        .append("log:\n  level: info\n  formatter: text\n")
        .append("storage:\n")
        .append("  filesystem:\n    rootdirectory: ").append(directory.resolve("storage")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
        .append("http:\n")
        .append("  addr: 127.0.0.1:").append(port).append('\n')
        .append("  secret: minke-test-http-secret\n");
    if (tls != null) {
      yaml.append("  tls:\n")
          .append("    certificate: ").append(tls.certificatePath()).append('\n')
          .append("    key: ").append(tls.privateKeyPath()).append('\n');
    }
    yaml.append(authYaml);
    return yaml.toString();
  }

  private void awaitReady() {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls != null) {
      builder.sslContext(tls.sslContext());
    }
    HttpClient client = builder.build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry " + name + " exited with "
            + process.exitValue() + "; log " + log + ":\n" + Tools.tail(log, 20));
      }
      try {
        HttpResponse<Void> response = client.send(
            HttpRequest.newBuilder(v2()).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200 || response.statusCode() == 401) {
          return;
        }
      } catch (ConnectException e) {
        // Not listening yet.
      } catch (IOException e) {
        // Listening but not answering yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("docker-registry " + name + " did not answer " + v2()
        + " within " + READY_TIMEOUT + "; log " + log + ":\n" + Tools.tail(log, 20));
  }

  /** Kills the process by its PID (TERM, then KILL after 5 s) and waits for it. Idempotent. */
  public void stop() {
    ChildProcesses.stop(process, Duration.ofSeconds(5));
    TestRegistries.untrack(this);
  }

  /** {@code open}, {@code basic}, {@code basic-tls} or {@code token}. */
  public String name() {
    return name;
  }

  public Auth auth() {
    return auth;
  }

  /** Whether it serves HTTPS (with {@link #certificate()}). */
  public boolean tls() {
    return tls != null;
  }

  /** The self-signed certificate it serves, for HTTPS registries. */
  public Optional<TestCertificate> certificate() {
    return Optional.ofNullable(tls);
  }

  /** The credentials it accepts (Basic, or at its token server); empty for an open registry. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
  public URI baseUri() {
    return URI.create((tls != null ? "https" : "http") + "://" + hostPort());
  }

  /** {@code baseUri()/v2/}. */
  public URI v2() {
    return baseUri().resolve("/v2/");
  }

  /** {@code 127.0.0.1:PORT/repository:tag}, e.g. {@code reference("test/img:1")}. */
  public String reference(String repositoryAndTag) {
    return hostPort() + "/" + repositoryAndTag;
  }

  /** The directory holding config.yml, registry.log and storage/. */
  public Path directory() {
    return directory;
  }

  public Path storage() {
    return directory.resolve("storage");
  }

  public Path configFile() {
    return config;
  }

  /** The registry's stdout and stderr. */
  public Path logFile() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public String toString() {
    return "RunningRegistry[" + name + " " + baseUri() + " auth=" + auth + " pid=" + pid() + "]";
  }
}
