package dev.minke.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Digest;
import dev.minke.image.Json;
import dev.minke.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/manifests/<tag|digest>}, accepting OCI and Docker schema 2 manifests and
 * indexes. Asked by digest, the bytes must hash to it; asked by tag, the digest is computed (and
 * must agree with {@code Docker-Content-Digest} when the registry sends one).
 */
final class ManifestGet implements Endpoint<RemoteManifest> {
  /** distribution caps manifests at 4 MiB; nothing bigger is read. */
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  static final String ACCEPT = String.join(", ", MediaType.OCI_INDEX, MediaType.OCI_MANIFEST,
      MediaType.DOCKER_MANIFEST_LIST, MediaType.DOCKER_MANIFEST);

  private final Reference reference;
  private final String registryHost;

  ManifestGet(Reference reference, String registryHost) {
    this.reference = reference;
    this.registryHost = registryHost;
  }

  @Override
  public String action() {
    return "pulling manifest " + reference.familiar() + " from";
  }

  @Override
  public String method() {
    return "GET";
  }

  @Override
  public URI uri(URI base) {
    return Endpoint.v2(base, reference.repository(), "manifests/" + identifier(reference));
  }

  static String identifier(Reference reference) {
    return reference.digest() != null ? reference.digest().toString()
        : reference.tag() != null ? reference.tag() : "latest";
  }

  @Override
  public String repository() {
    return reference.repository();
  }

  @Override
  public List<Scope> scopes() {
    return List.of(Scope.pull(reference.repository()));
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Accept", ACCEPT);
  }

  @Override
  public boolean accepts(int status) {
    return status == 200;
  }

  @Override
  public RemoteManifest handle(HttpResponse<InputStream> response) throws IOException {
    byte[] bytes = Transport.readCapped(response.body(), MAX_MANIFEST_BYTES, "manifest " + reference);
    Digest asked = reference.digest();
    Digest actual;
    if (asked != null) {
      actual = Digest.parse(asked.algorithm() + ":" + java.util.HexFormat.of().formatHex(asked.newHasher().digest(bytes)));
      if (!actual.equals(asked)) {
        throw new RegistryContentException(registryHost, reference.repository(), asked,
            "the manifest's bytes hash to " + actual);
      }
    } else {
      actual = Digest.sha256(bytes);
      String header = response.headers().firstValue("Docker-Content-Digest").orElse(null);
      if (header != null && header.startsWith("sha256:") && !header.equals(actual.toString())) {
        throw new RegistryContentException(registryHost, reference.repository(), actual,
            "the registry says its digest is " + header + ", but its bytes hash to " + actual);
      }
    }
    return new RemoteManifest(actual, mediaType(response, bytes), bytes);
  }

  /** The Content-Type, else the document's own mediaType, else what its fields say it is. */
  static String mediaType(HttpResponse<?> response, byte[] bytes) {
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    int semicolon = contentType.indexOf(';');
    contentType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    if (MediaType.isIndex(contentType) || MediaType.isManifest(contentType)) {
      return contentType;
    }
    try {
      JsonNode json = Json.mapper().readTree(bytes);
      String declared = json.path("mediaType").asText("");
      if (!declared.isEmpty()) {
        return declared;
      }
      return json.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    } catch (IOException e) {
      return contentType.isEmpty() ? MediaType.OCI_MANIFEST : contentType;
    }
  }

  @Override
  public RegistryException mapError(RegistryException error) {
    if (error.status() == 404 || error.codes().contains("MANIFEST_UNKNOWN") || error.codes().contains("NAME_UNKNOWN")) {
      return new ManifestUnknownException(reference, registryHost, error.status(), error.codes());
    }
    return error;
  }
}
