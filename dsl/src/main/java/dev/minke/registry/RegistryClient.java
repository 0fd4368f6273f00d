package dev.minke.registry;

import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import dev.minke.image.Index;
import dev.minke.image.Platform;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A client of the OCI distribution API: manifests, blobs, uploads and tags, with anonymous, Basic
 * and Bearer-token auth, retries, and the Docker Hub mirror. The one public face of the registry
 * protocol; each action is a small package-private {@link Endpoint}.
 *
 * <p>Thread-safe: one client serves parallel blob transfers and reuses tokens across them.
 * Repositories are named by a {@link Reference}; its tag and digest are ignored where only the
 * repository matters.
 */
public final class RegistryClient {
  private static final String DOCKER_HUB = "docker.io";

  private final RegistryOptions options;
  private final HttpClient http;
  private final DockerConfig dockerConfig;
  private final Map<String, Transport> transports = new ConcurrentHashMap<>();

  private RegistryClient(RegistryOptions options) {
    this.options = options;
    HttpClient.Builder builder = HttpClient.newBuilder()
        // Redirects are followed by Transport, which drops credentials when the host changes.
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofMillis(Math.min(options.timeoutMillis(), 30_000)));
    if (options.sslContext() != null) {
      builder.sslContext(options.sslContext());
    }
    this.http = builder.build();
    this.dockerConfig = new DockerConfig(options.dockerConfigFile());
  }

  public static RegistryClient create(RegistryOptions options) {
    return new RegistryClient(options);
  }

  /** A client with {@link RegistryOptions#defaults()}. */
  public static RegistryClient defaults() {
    return create(RegistryOptions.defaults());
  }

  public RegistryOptions options() {
    return options;
  }

  /**
   * The manifest or index a reference names, by digest if it has one (then the bytes are checked
   * against it), else by tag.
   *
   * @throws ManifestUnknownException if the registry has no such image or tag
   */
  public RemoteManifest manifest(Reference reference) {
    return read(reference, transport -> transport.call(new ManifestGet(reference, transport.registryHost())));
  }

  /** Puts a manifest's exact bytes under the target's tag (or digest); returns their digest. */
  public Digest putManifest(Reference target, String mediaType, byte[] bytes) {
    return transport(target.registryHost()).call(new ManifestPut(target, mediaType, bytes.clone()));
  }

  /** Whether the repository has the blob ({@code HEAD}). */
  public boolean hasBlob(Reference repository, Digest digest) {
    return read(repository, transport -> transport.call(
        new BlobHead(repository.repository(), digest, List.of(Scope.pull(repository.repository())))));
  }

  /**
   * Streams a blob into {@code sink}, verified against the descriptor's digest and size;
   * {@code progress} is told of every chunk of bytes. A broken download is resumed.
   *
   * @throws RegistryContentException if the bytes are not the blob asked for (then the sink holds
   *     garbage: the caller must discard it)
   */
  public long fetchBlob(Reference repository, Descriptor blob, OutputStream sink, LongConsumer progress) {
    BlobGet download = new BlobGet(repository.repository(), blob, sink, progress);
    return read(repository, transport -> transport.call(download.from(transport.registryHost())));
  }

  /** How {@link #pushBlob} got a blob into the repository. */
  public enum BlobPush {
    /** The repository had it already. */
    EXISTED,
    /** Mounted from another repository of the same registry, without sending it. */
    MOUNTED,
    /** Sent. */
    UPLOADED
  }

  /**
   * Makes sure the repository has the blob: HEAD first, then a cross-repository mount from
   * {@code mountFrom} (a repository of the same registry; null for none), falling back to an
   * upload of what {@code content} supplies (called again for a retry).
   */
  public BlobPush pushBlob(Reference repository, Descriptor blob, Supplier<InputStream> content,
      String mountFrom, LongConsumer progress) {
    String from = mountFrom == null || mountFrom.equals(repository.repository()) ? null : mountFrom;
    List<Scope> scopes = from == null ? List.of(Scope.push(repository.repository()))
        : List.of(Scope.push(repository.repository()), Scope.pull(from));
    // The HEAD asks for the upload's scopes, so that one token serves the HEAD, the mount and the upload.
    if (transport(repository.registryHost()).call(new BlobHead(repository.repository(), blob.digest(), scopes))) {
      return BlobPush.EXISTED;
    }
    BlobUpload.Outcome outcome = new BlobUpload(transport(repository.registryHost()), repository.repository(),
        blob, content, from, progress).run();
    return outcome == BlobUpload.Outcome.MOUNTED ? BlobPush.MOUNTED : BlobPush.UPLOADED;
  }

  /** Every tag of a repository, following the registry's pages. */
  public List<String> tags(Reference repository) {
    List<String> tags = new ArrayList<>();
    String page = null;
    for (int pages = 0; pages < 1000; pages++) {
      TagList.Page result = read(repository, new TagList(repository.repository(), page)::callOn);
      tags.addAll(result.tags());
      if (result.next() == null) {
        break;
      }
      page = result.next();
    }
    return tags;
  }

  /**
   * The manifest of an index for a platform: os and architecture equal, variant equal after
   * normalizing (arm64 means arm64/v8).
   *
   * @throws PlatformNotFoundException if the index has none
   */
  public static Descriptor selectPlatform(Reference reference, Index index, Platform platform) {
    return Platforms.select(index, platform).orElseThrow(() -> new PlatformNotFoundException(reference, platform,
        index.manifests().stream().map(Descriptor::platform).filter(p -> p != null).toList()));
  }

  /**
   * Checks the credentials against the registry ({@code GET /v2/}, with whatever auth it
   * challenges for) and, if they work, records them in the Docker config file.
   *
   * @throws RegistryAuthException if the registry refuses them
   */
  public void login(String registry, String username, String password) {
    String host = apiHost(registry);
    Credential credential = new Credential(username, password);
    Transport probe = newTransport(host, () -> Optional.of(credential));
    probe.call(new Ping());
    dockerConfig.store(registry, credential);
  }

  /** Forgets the credentials of a registry; returns whether there were any. */
  public boolean logout(String registry) {
    return dockerConfig.erase(registry);
  }

  /** Docker Hub's name is docker.io; its API is at registry-1.docker.io. */
  static String apiHost(String registry) {
    String host = DockerConfig.normalizeKey(registry);
    return DockerConfig.key(host).equals(DockerConfig.DOCKER_HUB_KEY) ? "registry-1.docker.io" : host;
  }

  /**
   * Runs a read on the mirror first when the reference is on Docker Hub and a mirror is set, then
   * on Docker Hub itself if the mirror fails for any reason (Docker's {@code registry-mirrors}).
   */
  private <T> T read(Reference reference, Function<Transport, T> call) {
    if (options.mirror() != null && reference.registry().equals(DOCKER_HUB)) {
      try {
        return call.apply(mirrorTransport());
      } catch (RegistryException mirrorFailed) {
        try {
          return call.apply(transport(reference.registryHost()));
        } catch (RegistryException hubFailed) {
          // Offline, the mirror's answer is the one that explains (e.g. an unknown tag).
          if (mirrorFailed instanceof ManifestUnknownException && hubFailed.status() == 0) {
            throw mirrorFailed;
          }
          hubFailed.addSuppressed(mirrorFailed);
          throw hubFailed;
        }
      }
    }
    return call.apply(transport(reference.registryHost()));
  }

  private Transport mirrorTransport() {
    URI mirror = options.mirror();
    String host = mirror.getRawAuthority();
    return transports.computeIfAbsent("mirror " + mirror, key -> new Transport(http,
        URI.create(mirror.getScheme() + "://" + host), host, options, authenticator(host, () -> credentials(host))));
  }

  Transport transport(String host) {
    return transports.computeIfAbsent(host, h -> newTransport(h, () -> credentials(h)));
  }

  private Transport newTransport(String host, Supplier<Optional<Credential>> credentials) {
    URI base = URI.create(options.schemeFor(host) + "://" + host);
    return new Transport(http, base, host, options, authenticator(host, credentials));
  }

  private Authenticator authenticator(String host, Supplier<Optional<Credential>> credentials) {
    return new Authenticator(host, credentials, new TokenFetch(http, host, options.timeoutMillis()));
  }

  /** Explicit credentials from the options, else the Docker config file and its helpers. */
  private Optional<Credential> credentials(String host) {
    String key = DockerConfig.normalizeKey(host);
    Credential explicit = options.credentials().get(key);
    if (explicit == null && key.equals("registry-1.docker.io")) {
      explicit = options.credentials().get(DOCKER_HUB);
    }
    return explicit != null ? Optional.of(explicit) : dockerConfig.lookup(host);
  }
}
