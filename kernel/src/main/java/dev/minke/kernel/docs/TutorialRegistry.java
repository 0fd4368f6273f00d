package dev.minke.kernel.docs;

import dev.minke.os.ChildProcesses;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The notebooks' registry: Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1
 * with a minimal config and its storage in a directory of the docs build. Port 5000, the usual
 * local registry's, when it is free (so the executed notebooks show the names a reader types),
 * else any free port. Stopped by its PID.
 */
final class TutorialRegistry implements AutoCloseable {
  static final int PREFERRED_PORT = 5000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path log;

  private TutorialRegistry(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the registry with its config, storage and log in {@code directory}, and waits until it answers. */
  static TutorialRegistry start(Path directory) throws IOException {
    if (!Files.isExecutable(Path.of("/usr/bin/docker-registry"))) {
      throw new DocsException("docker-registry is not installed", "install Debian's docker-registry package (.ci/install-packages)");
    }
    Files.createDirectories(directory.resolve("storage"));
    int port = isFree(PREFERRED_PORT) ? PREFERRED_PORT : freePort();
    Path config = directory.resolve("config.yml");
    Path log = directory.resolve("registry.log");
    Files.writeString(config, "version: 0.1\n"
        + "log:\n  level: warn\n"
        + "storage:\n  filesystem:\n    rootdirectory: " + directory.resolve("storage") + "\n"
        + "  delete:\n    enabled: true\n"
        + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: minke-docs\n");
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // REGISTRY_* variables override the config file: the caller's shell must not leak in.
    builder.environment().keySet().removeIf(key -> key.startsWith("REGISTRY_"));
    TutorialRegistry registry = new TutorialRegistry(builder.start(), port, log);
    try {
      registry.awaitReady();
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** {@code 127.0.0.1:PORT}, the registry part of an image name. */
  String hostPort() {
    return "127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  private void awaitReady() throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI v2 = URI.create("http://" + hostPort() + "/v2/");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new DocsException("docker-registry exited with " + process.exitValue() + ":\n" + Files.readString(log),
            "see its log above; is port " + port + " taken?");
      }
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(v2).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DocsException("interrupted while waiting for docker-registry", "run minke docs again");
      } catch (IOException e) {
        // Listening but not answering yet.
      }
      sleep(50);
    }
    throw new DocsException("docker-registry did not answer " + v2 + " within " + READY_TIMEOUT.toSeconds() + " s",
        "see its log: " + log);
  }

  /** Stops the process by its PID: TERM, then KILL after 5 s. */
  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(5));
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
