package dev.minke.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * How the registry client connects: the Docker config file with credentials, registries reached
 * over plain http, the Docker Hub mirror, retries, the upload chunking, and (for tests and private
 * CAs) the TLS context and explicit credentials.
 *
 * <p>{@link #defaults()} reads {@code MINKE_INSECURE_REGISTRIES} (comma-separated {@code host[:port]})
 * and {@code MINKE_REGISTRY_MIRROR} (a URL, like Docker's {@code registry-mirrors}), falling back to
 * the system properties {@code minke.insecureRegistries} and {@code minke.registryMirror}.
 */
public record RegistryOptions(
    Path dockerConfigFile,
    Set<String> insecureRegistries,
    URI mirror,
    int retries,
    long backoffMillis,
    long chunkThresholdBytes,
    int chunkSizeBytes,
    long timeoutMillis,
    SSLContext sslContext,
    Map<String, Credential> credentials) {

  public RegistryOptions {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be 0 or more, not " + retries);
    }
    if (chunkSizeBytes < 1) {
      throw new IllegalArgumentException("chunkSizeBytes must be positive, not " + chunkSizeBytes);
    }
    insecureRegistries = insecureRegistries.stream()
        .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    credentials = java.util.Collections.unmodifiableMap(new TreeMap<>(credentials));
    if (mirror != null && (mirror.getScheme() == null || mirror.getHost() == null)) {
      throw new IllegalArgumentException("registry mirror \"" + mirror + "\" must be a URL like https://mirror.example");
    }
  }

  /** From the environment: 3 retries from 200 ms, chunked uploads above 64 MiB in 16 MiB chunks. */
  public static RegistryOptions defaults() {
    String insecure = setting("MINKE_INSECURE_REGISTRIES", "minke.insecureRegistries");
    String mirror = setting("MINKE_REGISTRY_MIRROR", "minke.registryMirror");
    return new RegistryOptions(DockerConfig.defaultFile(),
        insecure == null ? Set.of() : Set.of(insecure.split(",")),
        mirror == null ? null : mirrorUri(mirror),
        3, 200, 64L << 20, 16 << 20, 60_000, null, Map.of());
  }

  private static String setting(String env, String property) {
    String value = System.getenv(env);
    if (value == null || value.isBlank()) {
      value = System.getProperty(property);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static URI mirrorUri(String text) {
    return URI.create(text.contains("://") ? text : "https://" + text);
  }

  public RegistryOptions withDockerConfigFile(Path file) {
    return new RegistryOptions(file, insecureRegistries, mirror, retries, backoffMillis,
        chunkThresholdBytes, chunkSizeBytes, timeoutMillis, sslContext, credentials);
  }

  /** Reaches these registries ({@code host[:port]}) over plain http. */
  public RegistryOptions withInsecureRegistries(String... hosts) {
    return new RegistryOptions(dockerConfigFile, Set.of(hosts), mirror, retries, backoffMillis,
        chunkThresholdBytes, chunkSizeBytes, timeoutMillis, sslContext, credentials);
  }

  /** Pulls from Docker Hub try this mirror first ({@code null}: none). */
  public RegistryOptions withMirror(URI newMirror) {
    return new RegistryOptions(dockerConfigFile, insecureRegistries, newMirror, retries, backoffMillis,
        chunkThresholdBytes, chunkSizeBytes, timeoutMillis, sslContext, credentials);
  }

  /** Retries after connection errors, 429 and 5xx, waiting {@code backoffMillis} doubled each time. */
  public RegistryOptions withRetries(int newRetries, long newBackoffMillis) {
    return new RegistryOptions(dockerConfigFile, insecureRegistries, mirror, newRetries, newBackoffMillis,
        chunkThresholdBytes, chunkSizeBytes, timeoutMillis, sslContext, credentials);
  }

  /** Blobs larger than {@code thresholdBytes} are uploaded in PATCH chunks of {@code chunkBytes}. */
  public RegistryOptions withChunking(long thresholdBytes, int chunkBytes) {
    return new RegistryOptions(dockerConfigFile, insecureRegistries, mirror, retries, backoffMillis,
        thresholdBytes, chunkBytes, timeoutMillis, sslContext, credentials);
  }

  /** How long to wait for a response's headers. */
  public RegistryOptions withTimeoutMillis(long millis) {
    return new RegistryOptions(dockerConfigFile, insecureRegistries, mirror, retries, backoffMillis,
        chunkThresholdBytes, chunkSizeBytes, millis, sslContext, credentials);
  }

  /** TLS with this context, e.g. one trusting a test CA ({@code null}: the JVM's default). */
  public RegistryOptions withSslContext(SSLContext context) {
    return new RegistryOptions(dockerConfigFile, insecureRegistries, mirror, retries, backoffMillis,
        chunkThresholdBytes, chunkSizeBytes, timeoutMillis, context, credentials);
  }

  /** Uses these credentials for {@code registry} instead of the Docker config file. */
  public RegistryOptions withCredentials(String registry, String username, String password) {
    Map<String, Credential> all = new TreeMap<>(credentials);
    all.put(DockerConfig.normalizeKey(registry), new Credential(username, password));
    return new RegistryOptions(dockerConfigFile, insecureRegistries, mirror, retries, backoffMillis,
        chunkThresholdBytes, chunkSizeBytes, timeoutMillis, sslContext, all);
  }

  /**
   * Plain http for loopback names and the insecure list; https for everything else. A listed
   * host without a port matches it on every port, as Docker's {@code insecure-registries} does.
   */
  public String schemeFor(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    String bare = RealmGuard.hostOnly(h);
    if (bare.equals("localhost") || bare.equals("127.0.0.1") || bare.equals("::1")) {
      // Loopback registries are plain http unless the caller gave a TLS context on purpose
      // (a test CA, a local registry with TLS): then TLS from the first request.
      return sslContext == null ? "http" : "https";
    }
    return insecureRegistries.contains(h) || insecureRegistries.contains(bare) ? "http" : "https";
  }

  @Override
  public String toString() {
    return "RegistryOptions[config=" + dockerConfigFile + ", insecure=" + insecureRegistries + ", mirror=" + mirror
        + ", retries=" + retries + ", credentials for " + Arrays.toString(credentials.keySet().toArray()) + "]";
  }
}
