package dev.minke.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8), open (no
 * auth), on 127.0.0.1 at a free port, storing into a temp directory. {@link #close()} stops it
 * by its PID. Tests skip (assumption) when the binary is not installed.
 */
public final class TestRegistry implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Process process;
  private final int port;
  private final Path dir;

  private TestRegistry(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** Starts a registry storing under {@code dir} and waits until it answers {@code /v2/}. */
  public static TestRegistry start(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("storage"));
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        """.formatted(dir.resolve("storage"), port));
    Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    TestRegistry registry = new TestRegistry(process, port, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) URI.create(registry.url() + "/v2/").toURL().openConnection();
        connection.setConnectTimeout(500);
        if (connection.getResponseCode() == 200) {
          return registry;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      Thread.sleep(50);
    }
    registry.close();
    throw new IOException("docker-registry did not answer on port " + port + " within 15 s");
  }

  /** {@code 127.0.0.1:PORT}, the registry part of a reference. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public String url() {
    return "http://" + host();
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** A reference in this registry, e.g. {@code ref("me/app:1")}. */
  public Reference ref(String repositoryAndTag) {
    return Reference.parse(host() + "/" + repositoryAndTag);
  }

  public Path log() {
    return dir.resolve("registry.log");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
